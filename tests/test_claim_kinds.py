"""The error kinds of issue #12, rule by rule, on sentences written for these tests (none from the test split).

Each test is named for what it guards; the rules run alone (mode "rules") so the classifier cannot hide a
regression.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def nlp():
    from tracker.nlp.pipeline import build_pipeline

    return build_pipeline(None)


def claims(nlp, text: str) -> list[tuple[str, str]]:
    ce = nlp.get_pipe("claim_extractor")
    old, ce.mode = ce.mode, "rules"
    try:
        return [(c["metric"], c["direction"]) for c in nlp(text)._.claims]
    finally:
        ce.mode = old


def claim_details(nlp, text: str) -> list[dict]:
    ce = nlp.get_pipe("claim_extractor")
    old, ce.mode = ce.mode, "rules"
    try:
        return list(nlp(text)._.claims)
    finally:
        ce.mode = old


# ------------------------------------------------------------------------------------ relative read as absolute
@pytest.mark.parametrize("text, expected", [
    ("Like-for-like sales climbed 7%, well ahead of the department-store industry's 2% gain.",
     ("revenue_growth", "high")),
    ("Parcel volumes rose 12%, outpacing the wider logistics market.", ("demand", "high")),
    ("Quarterly earnings grew 4%, behind the 9% rise managed by its peers.", ("earnings_growth", "low")),
])
def test_company_figure_measured_against_a_benchmark_is_a_level(nlp, text, expected):
    assert expected in claims(nlp, text)


def test_benchmark_named_by_above_is_kept_with_the_level(nlp):
    (c,) = [c for c in claim_details(nlp, "Occupancy reached 96%, comfortably above the regional average.")
            if c["metric"] == "other"]
    assert c["direction"] == "high" and "regional average" in (c["benchmark"] or "")


def test_a_share_price_above_its_moving_average_is_not_a_relative_return(nlp):
    got = claims(nlp, "The stock climbed 3% to close above its 200-day average.")
    assert ("relative_return", "outperform") not in got


@pytest.mark.parametrize("text", [
    "The shares rose 4%, beating the Stoxx 600.",
    "Shares of the miner gained 6%, outpacing the index.",
])
def test_share_move_against_an_index_is_a_relative_return(nlp, text):
    assert ("relative_return", "outperform") in claims(nlp, text)


# ------------------------------------------------------------------------------------ metric vocabulary
@pytest.mark.parametrize("text, metric", [
    ("Hotel occupancy slipped to 71% in the quarter.", "other"),
    ("Net leverage fell to 1.8x EBITDA.", "other"),
    ("Funding costs for the smaller lenders rose sharply.", "other"),
    ("Deposit costs crept higher again.", "rate"),
    ("Container freight rates slid 12% this month.", "other"),
    ("The chain raised its dividend by 10%.", "other"),
    ("The insurer's new business value rose 21%.", "earnings_growth"),
    ("Distribution per unit is set to rise 4% next year.", "earnings_growth"),
    ("The platform's gross merchandise value grew 18%.", "revenue_growth"),
    ("Net inflows into the firm's funds rose to 4 billion pounds.", "demand"),
    ("Order intake fell 6% as utilities delayed projects.", "demand"),
    ("Car sales at the distributor dropped 9%.", "demand"),
    ("The lender's loan portfolio expanded 30%.", "demand"),
    ("Total payment volume rose 28% in the quarter.", "demand"),
])
def test_figure_words_name_their_metric(nlp, text, metric):
    got = claims(nlp, text)
    assert got and got[0][0] == metric, got


# ------------------------------------------------------------------------------------ direction flips
@pytest.mark.parametrize("text", [
    "The shipyard posted another quarterly loss as steel costs climbed.",
    "The retailer reported a net loss for the third quarter running.",
])
def test_posting_a_loss_is_a_low_level_not_a_fall(nlp, text):
    assert ("earnings_growth", "low") in claims(nlp, text)
    assert ("earnings_growth", "down") not in claims(nlp, text)


@pytest.mark.parametrize("text, direction", [
    ("The games unit turned a profit of $90m, against a loss of $40m a year earlier.", "up"),
    ("Net income was $210m, compared with a loss of $75m in the same quarter last year.", "up"),
    ("The carrier posted a $640m loss, against a $1.2bn profit a year earlier.", "down"),
])
def test_profit_set_against_a_loss_is_one_earnings_claim(nlp, text, direction):
    got = [c for c in claims(nlp, text) if c[0] == "earnings_growth"]
    assert got == [("earnings_growth", direction)]


@pytest.mark.parametrize("text", [
    "The start-up trimmed its loss to $12m.",
    "Losses at the cloud division narrowed to ¥3bn.",
    "Net loss: EUR 14 million, narrowed from EUR 41 million.",
])
def test_a_shrinking_loss_is_an_earnings_improvement(nlp, text):
    assert ("earnings_growth", "up") in claims(nlp, text)


def test_a_verb_that_moves_its_object_gives_the_object_the_move(nlp):
    got = claim_details(nlp, "A 5% drop in Siemens pulled the DAX down 0.7%.")
    assert ("index_level", "down") in [(c["metric"], c["direction"]) for c in got]
    assert any("DAX" in (c["subject"] or "") for c in got if c["metric"] == "index_level")


def test_sent_its_shares_down_with_the_subject_late(nlp):
    got = claim_details(nlp, "A profit warning sent its shares down 9% on Monday.")
    assert [(c["metric"], c["direction"]) for c in got] == [("price_return", "down")]
    assert "shares" in got[0]["subject"]


def test_expectations_of_rate_cuts_rising_point_rates_down(nlp):
    got = claim_details(nlp, "Bets on Bank of England rate cuts jumped after the jobs data.")
    assert [(c["metric"], c["direction"]) for c in got] == [("rate", "down")]


def test_bonds_rallying_is_yields_falling(nlp):
    assert claims(nlp, "Gilts rallied hard on Thursday.") == [("rate", "down")]


def test_a_countrys_shares_are_its_market(nlp):
    assert claims(nlp, "Korean shares slumped 2.9% on Thursday.") == [("index_level", "down")]


# ------------------------------------------------------------------------------------ level read as change
@pytest.mark.parametrize("text, expected", [
    ("Gross margin was 41.2%, against 39.8% a year earlier.", ("margin", "up")),
    ("Operating margin was 11.5%, compared with 13.1% in the same quarter last year.", ("margin", "down")),
])
def test_a_level_set_against_an_earlier_figure_is_a_change(nlp, text, expected):
    assert expected in claims(nlp, text)


def test_a_multiple_set_against_a_peers_is_a_level(nlp):
    got = claims(nlp, "The stock trades at 14x forward earnings, against 22x for its closest rival.")
    assert got == [("valuation", "low")]


def test_an_n_year_low_is_a_level(nlp):
    assert ("price_return", "low") in claims(nlp, "The shares are at a 9-year low.")


@pytest.mark.parametrize("text, expected", [
    ("Shares of the brewer hit a seven-year high on Tuesday.", ("price_return", "up")),
    ("The retailer's shares hit a two-year low after the warning.", ("price_return", "down")),
    ("Monthly subscriber additions reached a record in March.", ("demand", "up")),
])
def test_hitting_a_record_or_an_n_year_extreme_is_the_move(nlp, text, expected):
    assert expected in claims(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("The stock tumbled 7.5% to its lowest since 2019.", ("price_return", "down")),
    ("The ten-year yield jumped 18 basis points to 4.9%, its highest since 2007.", ("rate", "up")),
    ("Operating margin slipped to 3.1%, the lowest in a decade.", ("margin", "down")),
])
def test_a_move_of_stated_size_to_an_extreme_stays_the_move(nlp, text, expected):
    assert expected in claims(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("The two-year Bund yield climbed to 2.9%, its highest since 2011.", ("rate", "up")),
    ("The baht weakened to 37.2 per dollar, a ten-month low.", ("other", "down")),
    ("Retail rice prices are down to about 3,900 yen a bag, lowest since 2021.", ("other", "down")),
    ("Youth unemployment fell to 11.8%, its lowest in years.", ("other", "down")),
    ("The shipbuilder's order backlog reached a record 61 billion dollars.", ("demand", "up")),
    ("Copper output at the mine hit a record 410,000 tonnes.", ("other", "up")),
    ("Norway gas exports hit record high", ("other", "up")),
])
def test_a_move_ending_at_an_extreme_is_the_move(nlp, text, expected):
    got = claims(nlp, text)
    assert expected in got and len(got) == 1, got


@pytest.mark.parametrize("text, expected", [
    ("The lender's shares are at a 15-year low.", ("price_return", "low")),
    ("Unit costs dropped to $31 a barrel, among the lowest in the industry.", ("other", "low")),
])
def test_a_standing_extreme_or_one_against_peers_stays_a_level(nlp, text, expected):
    assert expected in claims(nlp, text)


def test_a_level_followed_by_its_change_is_the_change(nlp):
    got = claims(nlp, "The group reported an order backlog of $5.2bn, up 40% in a year.")
    assert got == [("demand", "up")]


# ------------------------------------------------------------------------------------ price move vs other metric
def test_a_company_figure_with_no_metric_word_is_not_its_share_price(nlp):
    got = claim_details(nlp, "Fidelity's client assets climbed 14% from a year earlier.")
    assert got and got[0]["metric"] != "price_return"


def test_a_segment_that_grows_grows_its_sales(nlp):
    assert claims(nlp, "The company's specialty chemicals segment doubled.") == [("revenue_growth", "up")]


# ------------------------------------------------------------------------------------ metric words
@pytest.mark.parametrize("text, expected", [
    ("Money-market yields slipped 20 basis points over the month.", ("rate", "down")),
    ("The bank's price-to-book ratio has risen to 1.4 from 0.9.", ("valuation", "up")),
])
def test_a_hyphenated_compound_is_read_as_one_metric_word(nlp, text, expected):
    assert expected in claims(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("The brokerage's net new assets rose 9% in the quarter.", ("demand", "up")),
    ("Contracted sales at the builder dropped 30% in October.", ("demand", "down")),
    ("The chipmaker lifted its capital budget by 15%.", ("capex", "up")),
    ("Hotels in the chain lifted their average daily rate by 4%.", ("other", "up")),
])
def test_business_figures_named_by_their_trade_terms(nlp, text, expected):
    assert expected in claims(nlp, text)


# ------------------------------------------------------------------------------------ losses and forecasts
@pytest.mark.parametrize("text, expected", [
    ("The carrier posted a net loss of $310m, compared with a loss of $120m a year earlier.",
     ("earnings_growth", "down")),
    ("The biotech reported an operating loss of $45m, against a loss of $80m in the same quarter last year.",
     ("earnings_growth", "up")),
])
def test_a_loss_set_against_an_earlier_loss_is_its_change(nlp, text, expected):
    assert expected in claims(nlp, text)


def test_a_rise_that_beats_estimates_stays_a_rise(nlp):
    got = claims(nlp, "Operating profit climbed 22% to $1.9bn, beating analysts' estimates.")
    assert ("earnings_growth", "up") in got


def test_a_figure_set_against_a_forecast_figure_is_a_level(nlp):
    got = claims(nlp, "Comparable sales rose 7.2% in the half, well ahead of its guidance of 3%.")
    assert ("revenue_growth", "high") in got


# ------------------------------------------------------------------------------------ price move vs its cause
@pytest.mark.parametrize("text", [
    "Wipro jumped 3.4% on Tuesday on hopes of stronger bank spending.",
    "Shipbuilders rallied, $HDKSOE +5% today on fresh tanker orders.",
])
def test_the_cause_of_a_share_move_does_not_name_its_metric(nlp, text):
    got = claims(nlp, text)
    assert got and got[-1] == ("price_return", "up")


@pytest.mark.parametrize("text, expected", [
    ("Asian LNG prices climbed 12% to $14 per million British thermal units.", ("price_return", "up")),
    ("Spodumene prices slid 18% over the quarter.", ("price_return", "down")),
])
def test_commodity_prices_quoted_per_unit_are_price_moves(nlp, text, expected):
    assert expected in claims(nlp, text)


def test_a_description_in_apposition_is_no_benchmark(nlp):
    got = claims(nlp, "Brightline, the start-up behind the Vega app, has dropped 22% since March.")
    assert got == [("price_return", "down")]


def test_a_company_named_by_its_trade_moving_by_a_percentage_is_its_shares(nlp):
    assert claims(nlp, "The Swiss drugmaker slumped 6% on Monday.") == [("price_return", "down")]


@pytest.mark.parametrize("text, expected", [
    ("The portfolio returned 4.2% in September, while the Topix rose 6.1%.", ("relative_return", "underperform")),
    ("Our fund was flat over the half, while the DAX lost 3%.", ("relative_return", "outperform")),
])
def test_a_fund_return_set_beside_an_index_return_is_relative(nlp, text, expected):
    got = claims(nlp, text)
    assert expected in got and ("index_level", "up" if "rose" in text else "down") in got


def test_a_figure_yet_to_recover_is_still_low(nlp):
    assert ("demand", "low") in claims(nlp, "Handset orders have yet to recover, the supplier warned.")


def test_drifting_back_up_is_a_rise(nlp):
    assert ("rate", "up") in claims(nlp, "The five-year bond yield has drifted back up to 2.6%.")


def test_a_profit_that_reverses_a_loss_is_a_rise(nlp):
    got = claims(nlp, "The retailer posted net income of $210m for the half, reversing a loss a year earlier.")
    assert got == [("earnings_growth", "up")]


@pytest.mark.parametrize("text", ["Net charge-offs rose to 3.1% of card balances.",
                                  "The default rate on high-yield bonds climbed to 5%."])
def test_credit_quality_figures_are_other(nlp, text):
    assert claims(nlp, text) == [("other", "up")]


def test_an_insurers_premium_growth_is_its_sales_not_a_valuation_premium(nlp):
    got = claims(nlp, "Home-insurance premium growth slowed to 6% from 11%.")
    assert got and got[0][0] == "revenue_growth"


def test_the_noun_an_adjective_moves_names_the_metric(nlp):
    assert claims(nlp, "Steelmakers posted weaker profits in the quarter.") == [("earnings_growth", "down")]


def test_a_relative_clause_moves_the_noun_it_describes(nlp):
    got = claim_details(nlp, "Sales rose 11% in the half, well ahead of the wider furniture market, which grew 2%.")
    moved = [c["subject"] for c in got if c["magnitude"] == "2%"]
    assert moved and "furniture market" in moved[0]


def test_a_part_named_under_with_moves_the_figure_of_its_clause(nlp):
    got = claims(nlp, "Operating profit climbed 12% to $4bn, with the Americas up 20%.")
    assert got == [("earnings_growth", "up"), ("earnings_growth", "up")]


# ------------------------------------------------------------------------------------ metric rules (fourth batch)
@pytest.mark.parametrize("text, expected", [
    ("Hot-rolled coil prices slipped 4% in the month.", "price_return"),
    ("The average selling price of coal fell 8% to RMB510 per tonne.", "price_return"),
    ("Residential prices in Singapore rose 2% in the quarter.", "price_return"),
    ("Memory chip prices rose 12% in the quarter.", "other"),
])
def test_commodity_and_property_prices_are_price_return_product_prices_other(nlp, text, expected):
    got = claims(nlp, text)
    assert got and got[0][0] == expected


def test_a_per_share_amount_is_no_share_price(nlp):
    assert claims(nlp, "The interim dividend of 40 cents per share is unchanged.") == [("other", "stable")]


def test_a_share_of_a_figure_is_a_proportion_not_the_figure(nlp):
    got = claims(nlp, "Europe's share of group sales fell to 28% from 33%.")
    assert got and got[0][0] == "other"


@pytest.mark.parametrize("text, expected", [
    ("The country's main stock index dropped 2.3% on Tuesday.", "index_level"),
    ("The Shanghai Containerized Freight Index fell 12% in a month.", "other"),
])
def test_a_stock_index_is_an_index_level_a_freight_index_is_not(nlp, text, expected):
    got = claims(nlp, text)
    assert got and got[0][0] == expected


@pytest.mark.parametrize("text, expected", [
    ("Sales volume rose 6% while revenue fell 1%.", [("demand", "up"), ("revenue_growth", "down")]),
    ("Gross merchandise volume grew 9% in the quarter.", [("revenue_growth", "up")]),
    ("Ridership climbed 8% last year.", [("demand", "up")]),
])
def test_quantities_sold_are_demand_and_merchandise_volume_is_sales(nlp, text, expected):
    assert claims(nlp, text) == expected


def test_an_exchanges_turnover_is_no_revenue(nlp):
    got = claims(nlp, "Average daily turnover on the exchange rose 40% to HK$200bn.")
    assert got and got[0][0] == "other"


def test_a_company_that_grows_grows_its_business_not_its_shares(nlp):
    assert claims(nlp, "Ferrari is still growing at 12% a year.") == [("revenue_growth", "up")]


def test_a_company_moving_a_thing_of_its_own_is_no_share_price_move(nlp):
    assert claims(nlp, "Shell kept its quarterly buyback at $3.5bn.") == [("other", "stable")]
    assert claims(nlp, "Infosys added 3.1% and rival Wipro 2.2%.")[0] == ("price_return", "up")

# ------------------------------------------------------------------------------------ third round: change vs own past
@pytest.mark.parametrize("text, expected", [
    ("Group sales for the half were 4% below the prior corresponding period.", ("revenue_growth", "down")),
    ("Domestic unit revenue is expected to be 1-2% higher than a year earlier.", ("revenue_growth", "up")),
    ("The refiner reported an operating profit of 88 billion won, up 21% from a year earlier.",
     ("earnings_growth", "up")),
    ("The contractor reported a backlog of $3.1bn, up 40% in a year.", ("demand", "up")),
    ("The stock trades at 31x forward earnings, down from 52x.", ("valuation", "down")),
])
def test_a_figure_set_against_its_own_earlier_period_is_a_change(nlp, text, expected):
    got = claims(nlp, text)
    assert got == [expected], got


def test_two_changes_joined_by_but_keep_their_own_directions(nlp):
    got = claims(nlp, "Turnover was up 5% but net profit down 12%.")
    assert got == [("revenue_growth", "up"), ("earnings_growth", "down")]


def test_lower_than_a_yardstick_stays_a_level(nlp):
    assert ("earnings_growth", "low") in claims(nlp, "Quarterly profit was lower than analysts had expected.")


# ------------------------------------------------------------------------------------ third round: soft adjectives
@pytest.mark.parametrize("text", [
    "Turnover grew a modest 6% in the half.",
    "Its shares rose a more modest 1.9%.",
    "Sales grew 7%, slower than orders, so the order book swelled.",
    "Comparable growth was 4% in the quarter.",
])
def test_a_move_with_a_positive_size_stays_up_under_a_soft_adjective(nlp, text):
    got = claims(nlp, text)
    assert got and got[0][1] == "up", got


def test_a_level_verb_with_a_level_adjective_is_a_level(nlp):
    assert claims(nlp, "Credit growth should stay muted at around 4% next year.") == [("demand", "low")]


# ------------------------------------------------------------------------------------ third round: growth vs growth
def test_growth_above_another_figure_with_its_number_is_a_level_with_that_benchmark(nlp):
    (c,) = claim_details(nlp, "The mortgage book grew 11%, well above the system's 5%.")
    assert (c["metric"], c["direction"]) == ("demand", "high") and "system's 5%" in (c["benchmark"] or "")


def test_growth_ahead_of_another_quantity_is_a_level(nlp):
    (c,) = claim_details(nlp, "Sales grew 12%, well ahead of global truck production.")
    assert (c["metric"], c["direction"]) == ("revenue_growth", "high") and "truck production" in c["benchmark"]


def test_growth_beside_the_same_firms_other_figure_stays_growth(nlp):
    assert claims(nlp, "The bank's deposits grew 15%, faster than its loans at 10%.")[0] == ("other", "up")


def test_a_move_ahead_of_an_event_has_no_benchmark(nlp):
    assert claims(nlp, "Shares of the lender rose 3% ahead of earnings.") == [("price_return", "up")]


# ------------------------------------------------------------------------------------ third round: flows as levels
@pytest.mark.parametrize("text, expected", [
    ("Bankers said robust credit growth of about 14% would carry the quarter.", ("demand", "high")),
    ("Net deposits were still strong at $2bn.", ("demand", "high")),
    ("Tanker yards are winning orders faster than they can weld hulls.", ("demand", "high")),
    ("The utility pays a dividend yield of 5%, high for a water company.", ("other", "high")),
    ("$TLS yielding 6% fully franked.", ("other", "high")),
    ("The trust's yield stays near 6%, well above the index's.", ("other", "high")),
])
def test_strength_of_a_flow_or_a_yield_is_a_level(nlp, text, expected):
    got = claims(nlp, text)
    assert expected in got and not any(d in ("up", "down") for m, d in got if m == expected[0]), got


def test_a_figure_ranked_among_its_peers_is_a_level_with_the_peers_as_benchmark(nlp):
    (c,) = claim_details(nlp, "Deposit growth of 9% remains among the fastest of the regional lenders.")
    assert c["direction"] == "high" and "regional lenders" in (c["benchmark"] or "")


@pytest.mark.parametrize("text", ["Japan's 10-year yield rose to 1.5%.", "Insurers' bond yields fell 40 basis points."])
def test_a_bond_yield_with_a_holder_stays_a_rate(nlp, text):
    assert claims(nlp, text)[0][0] == "rate"


# ------------------------------------------------------------------------------------ third round: losses
@pytest.mark.parametrize("text, expected", [
    ("The chipmaker's loss shrank to 120 million euros.", ("earnings_growth", "up")),
    ("The group now expects a net loss of $300m, compared with a previous forecast of net profit of $50m.",
     ("earnings_growth", "down")),
    ("Airline posts third straight quarterly profit", ("earnings_growth", "high")),
    ("The lender posted a quarterly profit for the first time in two years.", ("earnings_growth", "high")),
    ("Operating cash flow turns negative", ("free_cash_flow", "down")),
])
def test_losses_and_profits_read_as_their_change_or_level(nlp, text, expected):
    assert expected in claims(nlp, text)


# ------------------------------------------------------------------------------------ third round: further patterns
def test_a_loss_level_beside_the_change_of_that_loss_is_one_claim(nlp):
    got = claims(nlp, "The solar unit still lost money, though its loss narrowed to 80 million euros.")
    assert got == [("earnings_growth", "up")]


@pytest.mark.parametrize("text, expected", [
    ("The maker's tractor sales fell 12% in the monsoon quarter.", ("demand", "down")),
    ("The marketplace's gross merchandise volume rose 9%.", ("revenue_growth", "up")),
    ("The lender's CET1 capital ratio stood at 13.9%, above its target.", ("other", "high")),
])
def test_unit_sales_merchandise_volume_and_capital_ratios_name_their_metric(nlp, text, expected):
    assert expected in claims(nlp, text)


# ------------------------------------------------------------------------------------ fourth round: shortfalls that narrow
@pytest.mark.parametrize("text, expected", [
    ("The insurer's underwriting deficit narrowed to $40m from $95m.", "up"),
    ("The closed-end fund's discount to net asset value has narrowed to 4% from 9%.", "up"),
    ("The discount of the preference shares to the ordinary shares widened to 18%.", "down"),
])
def test_a_shortfall_or_discount_that_narrows_is_an_improvement(nlp, text, expected):
    assert any(d == expected for _, d in claims(nlp, text))


def test_a_loss_written_before_a_headline_verb_is_the_earnings_change(nlp):
    assert ("earnings_growth", "up") in claims(nlp, "Acme Foods (1234 JP) — half-year loss narrows; dividend still cut")


# ------------------------------------------------------------------------------------ fourth round: valuation levels
@pytest.mark.parametrize("text, expected", [
    ("The brewer trades at 8x next year's earnings.", "low"),
    ("The regional lender trades at about 0.6x book, and its deposit base is near the highest on record.", "low"),
    ("The software group trades at 48x forward earnings.", "high"),
    ("At 35x this year's earnings the shares are not cheap, but the order book supports them.", "high"),
    ("The toll-road operator still trades on just 1.4x book.", "low"),
    ("The stock has doubled and trades at 14x earnings, a 20% discount to its long-run average.", "low"),
])
def test_a_multiples_level_follows_its_own_cues_then_its_size(nlp, text, expected):
    assert ("valuation", expected) in claims(nlp, text)


# ------------------------------------------------------------------------------------ fourth round: idioms of a fall
@pytest.mark.parametrize("text", [
    "The miner failed to hold its morning gains and finished 2% lower.",
    "The retailer's shares have given up about 25% since their March high.",
])
def test_gains_not_held_or_given_up_are_a_fall(nlp, text):
    assert ("price_return", "down") in claims(nlp, text)


def test_failing_to_rise_is_still_negated(nlp):
    assert ("price_return", "up") not in claims(nlp, "The utility failed to rise despite lower bond yields.")


# ------------------------------------------------------------------------------------ fourth round: a fund beside its index
@pytest.mark.parametrize("text, index, direction", [
    ("The fund returned 5.2% in the half, trailing the Hang Seng index's 7.9%.",
     "Hang Seng index", "up"),
    ("The strategy lost 1.2% in October, beating the Nikkei 225's 3% fall.", "Nikkei 225", "down"),
])
def test_a_fund_set_against_an_index_states_the_index_move(nlp, text, index, direction):
    got = claim_details(nlp, text)
    assert any(c["metric"] == "index_level" and c["direction"] == direction and c["subject"] == index for c in got)
    assert any(c["metric"] == "relative_return" for c in got)
    assert not any(c["metric"] == "price_return" for c in got)


# ------------------------------------------------------------------------------------ fourth round: odds of a rate cut
@pytest.mark.parametrize("text", [
    "Expectations of a March rate cut by the Bank of England rose after the jobs report.",
    "Swaps traders raised the odds of a Bank of Canada rate cut next month to 60%.",
])
def test_rising_odds_of_a_rate_cut_point_rates_down(nlp, text):
    assert ("rate", "down") in claims(nlp, text)


# ------------------------------------------------------------------------------------ fourth round: a change denied
@pytest.mark.parametrize("text", [
    "\"We are not seeing any slowdown in orders from hospitals,\" the finance chief said.",
    "The brewer sees no slowdown in beer volumes in India.",
    "Office rents in the city centre have stopped falling.",
])
def test_a_change_said_to_be_absent_or_over_is_stable(nlp, text):
    assert any(d == "stable" for _, d in claims(nlp, text))


def test_a_verb_negated_without_a_change_noun_keeps_its_flip(nlp):
    assert ("demand", "up") in claims(nlp, "Demand for the new handsets is not slowing.")
