"""Analytics: pure functions over series and small frames (index, spikes, impact, engagement)."""
