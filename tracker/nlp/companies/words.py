"""Word lists the company linker reads context with: acronyms that are never tickers, finance and market
cues, business nouns, titles, connectors, legal tails."""

from __future__ import annotations

import re

# All-caps words that are not tickers or companies when written bare.
ACRONYMS = frozenset("""
A I AI ALL AND ARE AT BE BIG CEO CFO COO CTO CIO CPI PPI PCE PMI GDP EV EVS IT US USA UK EU UN IPO IPOS ETF ETFS FX
ESG EPS PE PB API USD JPY EUR CNY RMB KRW TWD INR HKD GBP CHF AUD CAD ARPU YOY QOQ MOM Q1 Q2 Q3 Q4 FY H1 H2 AGM M&A
R&D CAPEX OPEX EBIT EBITDA ROE ROI ROIC HBM DRAM NAND GPU GPUS CPU CPUS ASIC ASICS LLM LLMS SAAS AR VR OK TV PC PCS
IOT NEW ON GO SO FOR KEY NOW LOW CAT DE BA MA MS C F T V OR IN OF TO BY AS IS NO UP AN ONE TWO YES NOT BUT HAS
WAS ANY OUR ITS WHO WHY HOW HIGH MORE OUT OUTLOOK NEWS LIVE UPDATE BREAKING NOTE ET PM AM GMT UTC EST PST BST JST
KST HKT CST NYSE NASDAQ LSE TSE HKEX KRX NSE BSE ASX SGX SEC FED FOMC ECB BOJ BOE PBOC RBI IMF OPEC WTO WHO FDA
DOJ FTC IRS EPA IEA OECD BIS CFTC FINRA SIX TSX USMCA NATO G7 G20 BRICS ASEAN APAC EMEA EM DM LATAM CEE MENA GCC
EBT DCF NAV AUM TAM SAM OEM ODM EMS RFP SKU B2B B2C DTC SME SMES VC PE LBO SPAC SPACS IRR CAGR YTD MTD WTD
BPS PPS PT TP BUY SELL HOLD OW UW EW NEUTRAL ADR ADRS ADS GDR REIT REITS MLP LP GP TBD TBA FAQ PDF CSV
LNG LPG SMR LEU MOD CNC THC EQT PWR EME NXT ICE SPX ABF
""".split())

FINANCE_CUES = frozenset("""
shares share stock stocks equity earnings revenue revenues sales profit profits margin margins guidance quarter
quarterly results outlook forecast forecasts ceo chief executive cfo investors analysts analyst rallied rallies
rose rise fell falls fall jumped jumps slumped slid gained gains dropped surged plunged downgrade downgraded
upgrade upgraded rating target-price buyback dividend dividends valuation listed listing ipo acquisition acquire
acquired deal stake merger bid shareholders board customers orders supplier suppliers chips chip smartphones
iphone stores store retailer brand brands company group inc corp plc ltd subsidiary unit units capex
""".split())

# Words right after (or just before) a name that say it is traded: "Rexel rose", "shares of Nexans".
MARKET_CUES = frozenset("""
shares share stock stocks rose rise rises rising fell fall falls falling gained gains gain jumped jumps surged
surges slumped slumps slid slides dropped drops plunged plunges climbed climbs rallied rallies advanced declined
declines lagged lags outperformed underperformed traded trades beat beats missed misses higher lower soared
sank tumbled tumbles edged listed reported reports posted raised cut cuts upgraded downgraded earnings revenue
profit sales guidance dividend buyback slipped slips eased eases firmed firms popped sold won wins warned
announced announces
""".split())
# Capitalised words that follow a company's name as its product or unit ("Apple Pay", "Amazon Prime").
PRODUCT_WORDS = frozenset("pay watch tv music store card intelligence vision silicon prime web cloud ads search "
                           "maps office azure windows xbox play pixel android chrome services foundry".split())
# "retailer Next", "jeweller Titan", "carmaker Kia": the noun before a name says it is a business.
BUSINESS_NOUNS = frozenset("retailer retailers jeweller jeweler carmaker automaker chipmaker lender bank insurer "
                            "miner operator developer airline brewer drugmaker maker manufacturer supplier group "
                            "firm company conglomerate giant rival peer peers owner operator broker platform "
                            "telco utility utilities".split())
HEADLINE_SMALL_WORDS = frozenset("the a an and or as at by for from in of on to vs with after before over amid "
                                  "while why how what".split())
HEADLINE_VERBS = frozenset("soars sinks tops lifts hikes plans buys sells agrees expands launches unveils sues "
                            "cuts raises beats misses jumps slumps falls rises surges plunges warns reports posts "
                            "cut raise buy sell launch expand acquire acquires invest invests hire hires".split())
TITLES = frozenset("mr mrs ms dr chair chairman chairwoman president governor secretary minister premier "
                    "senator commissioner ceo cfo analyst economist professor sir lord sen rep mayor judge justice "
                    "chancellor king queen prince princess ambassador actor actress footballer singer "
                    "billionaire tycoon heir heiress founder".split())
LIST_SEP = re.compile(r"\s*(?:,|;|/|&|and|or|,\s*and|,\s*or)\s*")

PLACE_OR_PERSON = {"PERSON", "GPE", "LOC", "FAC", "NORP"}
NOT_ORG = {"PERSON", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
CONNECTORS = frozenset({"and", "of", "the", "de", "la", "du", "des", "und", "et", "y", "e", "for", "s"})
GENERIC_FIRST = frozenset("""
china chinese japan japanese korea korean taiwan hong kong india indian american america national first united
general international global new great royal asia asian pacific european europe euro shanghai shenzhen beijing
zhejiang jiangsu guangdong shandong sichuan fujian hubei hunan anhui henan hebei tianjin chongqing tokyo osaka
nippon nihon singapore thai thailand indonesia malaysia vietnam australia australian canada canadian british
london german germany france french swiss italian spanish dutch nordic north south east west central standard
capital city metro golden silver green blue red
""".split())
LEGAL_TAIL = frozenset("inc incorporated corp corporation co ltd limited plc llc ag se sa nv spa ab asa oyj kgaa "
                        "holdings holding group company".split())
ABBREVIATIONS = frozenset({"co", "ltd", "inc", "corp", "bhd", "intl"})
GAP = re.compile(r"[ \t\u00a0.,\-]*\n?[ \t\u00a0.,\-]*")

# People: verbs a person is the subject of, nouns that describe a person in an apposition, and nouns after a
# name that make it a business ("the Abbott plant", "Dell shares") (tracker/nlp/companies/people.py).
PERSON_VERBS = frozenset("""
said says told tells signs signed sign wrote writes tweeted argued argues urged urges vowed vows met meets visited
visits thinks believes recalled insisted insists promised pledged stepped resigned retired married died founded
""".split())
PERSON_NOUNS = frozenset("""
founder co-founder chairman chairwoman chair president ceo executive chief director minister governor senator
premier mayor secretary spokesman spokeswoman spokesperson actor actress footballer player singer heir heiress
billionaire tycoon economist analyst strategist manager investor daughter son wife husband widow brother sister
father mother politician lawmaker candidate former leader lawyer professor
""".split())
COMPANY_NOUNS = frozenset("""
shares share stock stocks plant plants factory factories store stores headquarters subsidiary unit division brand
brands products devices cars vehicles trucks models executives employees workers staff board chips phones
""".split())
# Nouns right after a common-word name that make it the company: "the Amazon deal", "a Shell stake".
DEAL_NOUNS = frozenset("deal deals stake contract contracts partnership takeover bid shares stock plant factory "
                       "subsidiary unit division executives ceo chief spokesperson spokesman spokeswoman".split())
