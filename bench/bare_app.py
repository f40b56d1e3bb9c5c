"""The browser floor: a bare Streamlit page drawing one Plotly chart (bench section 4)."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="bench floor", layout="wide")
st.title("Bench floor")
fig = go.Figure(go.Bar(x=[f"D{i}" for i in range(1, 9)], y=[5.1, 4.8, 6.2, 7.0, 6.5, 5.9, 3.2, 4.4]))
fig.update_layout(title="One bar chart")
st.plotly_chart(fig, key="floor_chart")
