"""Static HTML report of the supply-risk marts (figures embedded as base64 PNG, PNGs written beside it): the figure
data are dbt models (dbt_project/models/report), figures.py draws them, template.html lays out the page, build.py
puts them together and contents.py names the figures."""
