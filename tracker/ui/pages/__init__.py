"""Page scripts run by st.navigation (not imported)."""
