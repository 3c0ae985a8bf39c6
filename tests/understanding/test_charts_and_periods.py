"""The chart a question asks for, and the periods it names, on small invented tables.

Each case is (table, question, check): the check reads the chart, and where a filter is the point, the rows
the filter keeps when it runs on the table (counted by hand from how the table is built below)."""

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from autoviz_pipeline.handoff import load_frame
from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.tools import apply_filters
from autoviz_pipeline.understanding import classify_intent

T = pd.Timestamp
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _csv(header, rows):
    return "\n".join([header, *rows]) + "\n"


def _monthly(first, last):
    return [date(y, m, 1) for y in range(first, last + 1) for m in range(1, 13)]


_DAYS = [date(2023, 1, 2) + timedelta(days=i) for i in range(364)]  # Mon 2 Jan .. Sun 31 Dec 2023: 52 weeks
TABLES = {
    "vans": _csv("Make,Horsepower_bhp,Curb_Weight_kg,Fuel_Use_l_100km,Market", [
        f"{['Volk', 'Rena', 'Ivec', 'Ford'][i % 4]},{90 + (i * 17) % 110},{1800 + (i * 53) % 900},"
        f"{7 + (i * 3) % 6}.{i % 10},{['EU', 'US', 'Asia'][i % 3]}" for i in range(24)]),
    "machines": _csv("machine,vibration_mm_s,temperature_c", [
        f"{['Lathe', 'Press', 'Drill', 'Mill'][i % 4]},{1 + (i * 7) % 13}.{i % 10},{40 + (i * 11) % 50}"
        for i in range(24)]),
    "deliveries": _csv("order_no,delivery_time_h,type", [
        f"{1000 + i},{2 + (i * 13) % 70}.{i % 10},{['refund', 'exchange', 'sale'][i % 3]}" for i in range(30)]),
    # 6 children, 10 adults, 4 seniors
    "travellers": _csv("ticket,age_group,fare", [
        f"T{i},{g},{20 + (i * 7) % 80}" for i, g in enumerate(["child"] * 6 + ["adult"] * 10 + ["senior"] * 4)]),
    # one row a month, Jan 2008 .. Dec 2021 (168 rows); "month" repeats the month as 1..12
    "bookings": _csv("date,bookings", [f"{d},{100 + (i * 37) % 400}" for i, d in enumerate(_monthly(2008, 2021))]),
    "bookings_month": _csv("date,month,bookings", [
        f"{d},{d.month},{100 + (i * 37) % 400}" for i, d in enumerate(_monthly(2008, 2021))]),
    # one row per parcel: 20 in Leeds, 12 in Bristol, 8 in Derby
    "parcels": _csv("parcel_id,warehouse,shipping_cost", [
        f"P{i:03d},{w},{3 + (i * 7) % 20}.5" for i, w in enumerate(["Leeds"] * 20 + ["Bristol"] * 12 + ["Derby"] * 8)]),
    # weekly sales rows from 2015, 30 per region (North/South/East), 45 per channel
    "shops": _csv("date,region,channel,revenue,units,price", [
        f"{date(2015, 1, 1) + timedelta(weeks=i)},{['North', 'South', 'East'][i % 3]},{['web', 'store'][i % 2]},"
        f"{500 + (i * 37) % 900},{5 + (i * 7) % 40},{10 + (i * 3) % 25}.5" for i in range(90)]),
    "stock": _csv("date,share_price,volume", [
        f"{date(2022, 1, 3) + timedelta(days=i)},{50 + (i * 7) % 30}.25,{1000 + (i * 91) % 5000}" for i in range(200)]),
    "orders": _csv("order_id,line_items,order_total,channel", [
        f"{i},{1 + (i * 5) % 19},{20 + (i * 13) % 300}.0,{['web', 'app', 'phone'][i % 3]}" for i in range(60)]),
    "pubs": _csv("date,shift,bar_staff,kitchen_staff,covers", [
        f"{date(2023, 1, 1) + timedelta(days=i)},{['early', 'late', 'night'][i % 3]},{2 + (i * 7) % 23},"
        f"{3 + (i * 5) % 19},{40 + (i * 17) % 120}" for i in range(90)]),
    # a league's team seasons: "season" is said of the column "yr" holding "2016-2017"; pass_pct is a percentage
    "league": _csv("club,yr,division,points,passes,pass_pct", [
        f"{['Rovers', 'United', 'Athletic', 'City'][i % 4]},{2016 + i % 5}-{2017 + i % 5},{['North', 'South'][i % 2]},"
        f"{20 + (i * 7) % 60},{300 + (i * 37) % 400},{55 + (i * 3) % 40}.5" for i in range(40)]),
    # a match a week over three seasons written "2009-10" (August to May): a label spanning two years, not October
    # 2009 (and each of them a valid year-month); 40 matches a season, all on Saturdays but every fifth on a Tuesday
    "fixtures": _csv("Season,Date,home,home_goals", [
        f"{y}-{(y + 1) % 100:02d},{date(y, 8, 3) + timedelta(weeks=i) + timedelta(days=3 * (i % 5 == 4))},"
        f"{['Rovers', 'United', 'City'][i % 3]},{(i * 7) % 5}" for y in (2009, 2010, 2011) for i in range(40)]),
    # a price's daily open, high, low and close, and the volume traded
    "quotes": _csv("Date,Open,High,Low,Close,Volume", [
        f"{date(2020, 1, 1) + timedelta(days=i)},{100 + i % 7},{104 + (i * 7) % 23},{80 + (i * 3) % 17},{101 + (i * 3) % 8},"
        f"{1000 + (i * 37) % 500}" for i in range(400)]),
    # a medal table: a row per country, whole counts of each medal
    "medal_table": _csv("country,region,gold,silver,bronze", [
        f"C{i},{['Europe', 'Asia', 'Americas'][i % 3]},{(i * 5) % 11},{(i * 7) % 9},{(i * 2) % 13}" for i in range(30)]),
    # a season's players: minutes and games played, points scored
    "players": _csv("player,games,minutes,points,allstar", [
        f"P{i},{40 + (i * 7) % 42},{800 + (i * 97) % 2400},{5 + (i * 13) % 25}.5,{int(i % 6 == 0)}" for i in range(40)]),
    # a council election: a row per ward, its winning party and the turnout
    "council_wards": _csv("ward,winner,turnout", [
        f"W{i},{['Green', 'Labour', 'Liberal'][i % 3]},{30 + (i * 7) % 40}.5" for i in range(30)]),
    # a town's days: the rain in mm and the day's weather as a word (8 rain, 6 fog, 10 sun in every 24 days)
    "town_days": _csv("date,precipitation,weather", [
        f"{date(2021, 1, 1) + timedelta(days=i)},{(i * 7) % 20 if i % 3 == 0 else 0},"
        f"{'rain' if i % 3 == 0 else 'fog' if i % 4 == 1 else 'sun'}" for i in range(365)]),
    # films: two columns end in "Rating", one of codes (MPAA_Rating), one of numbers (Viewer_Rating)
    "film_ratings": _csv("Title,MPAA_Rating,Viewer_Rating,Genre,US_Gross,World_Gross,Running_Time_min", [
        f"F{i},{['G', 'PG', 'R'][i % 3]},{3 + (i * 7) % 60 / 10},{['Drama', 'Comedy'][i % 2]},{1000 + (i * 37) % 900},"
        f"{3000 + (i * 91) % 4000},{80 + (i * 13) % 90}" for i in range(40)]),
    # a row per employee: an id each, hired over 2015-2022, some working remotely
    "team_staff": _csv("employee_id,department,remote,hire_date,years_experience,salary", [
        f"E{i:03d},{['Sales', 'IT', 'HR'][i % 3]},{'yes' if i % 4 == 0 else 'no'},{date(2015, 1, 5) + timedelta(days=23 * i)},"
        f"{(i * 7) % 30},{40000 + (i * 997) % 60000}" for i in range(120)]),
    # a shop's order lines: a product category and a customer segment, both text
    "order_lines": _csv("order_date,customer_segment,region,category,sales,quantity", [
        f"{date(2022, 1, 1) + timedelta(days=i)},{['Consumer', 'Corporate'][i % 2]},{['East', 'West'][i % 3 == 0]},"
        f"{['Furniture', 'Technology', 'Paper'][i % 3]},{10 + (i * 37) % 500}.5,{1 + (i * 7) % 12}" for i in range(90)]),
    # shipments: a ship mode whose values include "First", a category and its sub-categories
    "ship_lines": _csv("region,ship_mode,category,sub_category,quantity,profit", [
        f"{['North', 'South', 'East'][i % 3]},{['First', 'Standard'][i % 2]},{['Office', 'Tech'][i % 4 // 2]},"
        f"{['Paper', 'Pens', 'Phones', 'Laptops'][i % 4]},{1 + (i * 7) % 12},{(i * 37) % 300 - 100}" for i in range(48)]),
    # a long table of power generation: a row per year, country and source
    "power_mix": _csv("year,country,source,generation_gwh,share_pct", [
        f"{2015 + i // 12},{['Norway', 'Chile', 'Kenya'][i % 3]},{['wind', 'hydro', 'solar', 'gas'][i // 3 % 4]},"
        f"{100 + (i * 37) % 900},{5 + (i * 7) % 60}" for i in range(96)]),
    # a sensor read every 30 minutes for 12 days
    "gauge": _csv("read_at,level_mm", [
        f"{datetime(2024, 5, 1) + timedelta(minutes=30 * i)},{100 + (i * 37) % 90}" for i in range(48 * 12)]),
    # a statistics office's long table: a row per region × year × sex, the count of people in "Value"
    "census_long": _csv("region,year,sex,Value", [
        f"{r},{y},{x},{1000 + (i * 37) % 900}" for i, (r, y, x) in enumerate(
            (r, y, x) for r in ["Nord", "Sud", "Ovest"] for y in range(2015, 2023) for x in ["male", "female"])]),
    # a row per payment: "amount" is a real quantity beside an id, so "how many payments" counts rows
    "payments": _csv("payment_id,customer,amount", [f"{i},{['ann', 'bo', 'cy'][i % 3]},{5 + (i * 7) % 40}"
                                                    for i in range(30)]),
    # trading days with the weekday written as a name ("tues", "thur") beside the date
    "trades": _csv("date,wkday,ret", [
        f"{d},{['mon', 'tues', 'wed', 'thur', 'fri'][d.weekday()]},{((i * 37) % 21 - 10) / 1000}"
        for i, d in enumerate(x for x in _DAYS if x.weekday() < 5)]),
    # hourly counts with the weekday as a number 0..6 ("dow") and a Dow index level that is no weekday
    "hourly": _csv("hr,dow,riders,dow_index", [
        f"{i % 24},{(i // 24) % 7},{10 + (i * 13) % 90},{30000 + (i * 7) % 900}" for i in range(24 * 21)]),
    # a bike scheme's hours over 4 weeks: day of the month 1..28 (no weekday), dow 0..6, a count of bikers
    "rentals": _csv("day,hr,dow,weather,season,bikers", [
        f"{1 + i // 24},{i % 24},{(i // 24) % 7},{['clear', 'mist', 'rain'][(i // 7) % 3]},"
        f"{['winter', 'spring', 'summer', 'autumn'][(i // 24) % 4]},{5 + (i * 13) % 90}" for i in range(24 * 28)]),
    # a state-year panel whose states are numbered 1..6 and whose columns are glued short forms
    "roads": _csv("year,state,totfat,nghtfat,totfatrte,vehicmiles", [
        f"{1985 + i // 6},{1 + i % 6},{300 + (i * 37) % 500},{100 + (i * 13) % 200},{10 + (i * 7) % 15}.5,"
        f"{20 + (i * 11) % 60}" for i in range(6 * 20)]),
    # county-years with counts of events (murders, arrests) beside houses with counts of parts (bedrooms)
    "crimes": _csv("county,year,murders,arrests,bedrooms", [
        f"{1 + i % 5},{2000 + i // 5},{(i * 7) % 30},{(i * 11) % 40},{1 + i % 4}" for i in range(50)]),
    # county-years keyed by numbers: statefips 1..30 (a code run together with its key word), a region, and
    # murders with gaps (so read as floats)
    "county_years": _csv("year,statefips,county,region,murders,unemp,execs,perc1524", [
        f"{1990 + i // 30},{1 + i % 30},{100 + i % 30},{['North', 'South', 'West'][i % 3]},"
        f"{'' if i % 17 == 0 else (i * 7) % 40},{3 + (i * 13) % 9}.5,{(i * 5) % 4},{10 + i % 7}.5" for i in range(30 * 6)]),
    # a table of salaries (its rows are named by its file, "salaries"), a 0/1 finance flag and a log twin
    # monthly home sales per city: "median" is the median sale price (a column named like an aggregate)
    "city_homes": _csv("city,year,month,sales,median", [
        f"{c},{2014 + (i // 12) % 3},{1 + i % 12},{50 + (i * 13) % 200},{90000 + (i * 7919) % 150000}"
        for i, c in enumerate(["Abilene", "Austin", "Dallas", "Waco"] * 18)]),
    # a row per year, 1950..1979: the counts of marriages and divorces that year
    "wedding_years": _csv("Year,Marriages,Divorces,Divorces_per_1000", [
        f"{1950 + i},{1500000 + i * 10000},{380000 + i * 5000},{2.1 + i / 10:.1f}" for i in range(30)]),
    # one row per leader's spell: 5 in Italy, 3 in Spain, 2 in Chile; ehead names the head of government
    "regime_spells": _csv("country,ehead,start_year,duration", [
        f"{c},Leader {i},{1950 + i * 3},{1 + (i * 7) % 12}"
        for i, c in enumerate(["Italy"] * 5 + ["Spain"] * 3 + ["Chile"] * 2)]),
    # 24 elements: "group" a column number 1..18 (as text), "metal" the kind; EA its electron affinity
    "elements": _csv("atomic number,name,group,metal,melting point,EA", [
        f"{i + 1},El{i},{1 + (i * 5) % 18},{['alkali metal', 'halogen', 'noble gas', 'transition metal'][i % 4]},"
        f"{100 + (i * 37) % 900},{(i * 13) % 40}" for i in range(24)]),
    # one row a year, 1970..2011: the percentage of degrees in each field that went to women
    "degree_years": _csv("Year,Biology,Foreign Languages", [
        f"{1970 + i},{30 + i * 0.7:.1f},{70 + (i % 5) * 0.4:.1f}" for i in range(42)]),
    # 40 wines of three cultivars (class 0/1/2): alcohol 11.0 .. 14.9 % (13 of them above 13)
    "wine_cultivars": _csv("alcohol,malic_acid,od280/od315_of_diluted_wines,target", [
        f"{11 + (i * 7) % 40 / 10:.1f},{1 + (i % 5) / 2},{1.5 + (i % 7) / 4},{i % 3}" for i in range(40)]),
    # 2016's daily highs and lows in °F: TMAX 60 .. 99, TMIN 20 less
    "lincoln_days": _csv("DATE,TMAX,TMIN", [
        f"{date(2016, 1, 1) + timedelta(days=i)},{60 + (i * 11) % 40},{40 + (i * 11) % 40 - 20}" for i in range(366)]),
    # quarterly growth rates in %, both signs: production falls in 12 of the 40 quarters
    "macro_quarters": _csv("Quarter,Production,Consumption", [
        f"{1990 + i // 4}Q{1 + i % 4},{(-2 if i % 10 < 3 else 1) * (1 + i % 4) / 2},{(i * 7) % 9 - 3}"
        for i in range(40)]),
    # one row per person tested: the result coded -1 (unclear), 0 or 1, missing for every 17th (so read as floats)
    "hiv_tests": _csv("person,hiv2004,age", [
        f"P{i},{'' if i % 17 == 16 else -1 if i < 5 else 1 if i < 25 else 0},{18 + i % 40}" for i in range(100)]),
    # county-years: executions abbreviated "execs" (0..3), and a rate that is no count
    "county_execs": _csv("year,county,execs,execrate", [
        f"{1980 + i % 10},C{i % 12},{(i * 7) % 13 // 4},{(i * 3) % 7 / 10}" for i in range(120)]),
    # counties: population (popul) and population density, a murder count
    "county_density": _csv("county,popul,density,murders", [
        f"C{i},{1000 + (i * 977) % 90000},{5 + (i * 13) % 400},{(i * 7) % 9}" for i in range(60)]),
    # counties by year: a murder count and rate (murdrate, per 10k), population, two percentage columns
    "county_murders": _csv("county,year,popul,murders,murdrate,percblack,perc1019", [
        f"C{i % 20},{1990 + i // 20},{2000 + (i * 7919) % 250000},{(i * 7) % 40},{(i * 13) % 200 / 10},"
        f"{(i * 17) % 60},{10 + (i * 3) % 15}" for i in range(60)]),
    # hourly bike rentals: temperature, humidity, and the riders counted in each hour
    "bike_hours": _csv("hr,temp,hum,bikers", [
        f"{i % 24},{(i * 7) % 40 / 40:.2f},{(i * 11) % 50 / 50:.2f},{5 + (i * 13) % 90}" for i in range(96)]),
    # fast food stores: prices named head first (p + what), a log twin, the chain
    "fast_food": _csv("psoda,pentree,lpsoda,chain", [
        f"{1 + (i * 7) % 20 / 100:.2f},{1 + (i * 13) % 90 / 100:.2f},{(i * 7) % 20 / 100:.2f},"
        f"{['BK', 'KFC', 'RR', 'Wendys'][i % 4]}" for i in range(40)]),
    # house sales with the log of area and of price beside them (lX is log X), an apparent-temperature pair
    "house_logs": _csv("year,area,larea,price,lprice,temp,atemp", [
        f"{1978 + 3 * (i % 2)},{800 + (i * 97) % 2500},{6 + (i % 20) / 10:.1f},{50000 + (i * 7919) % 200000},"
        f"{10 + (i % 30) / 10:.1f},{10 + i % 20},{8 + i % 22}" for i in range(50)]),
    # states in two years: per capita income, infant mortality and the poverty rate
    "state_health": _csv("state,year,pcinc,infmort,povrate", [
        f"S{i % 25},{1987 if i < 25 else 1990},{9000 + (i * 211) % 9000},{6 + (i * 7) % 60 / 10:.1f},"
        f"{8 + (i * 3) % 20}" for i in range(50)]),
    # oil prices each month, 1990..2019 (360 months), two quantities of 10 to 145 dollars
    "oil_monthly": _csv("Date,Brent,WTI", [f"{d},{10 + (i * 7) % 135},{11 + (i * 5) % 134}"
                                          for i, d in enumerate(_monthly(1990, 2019))]),
    # weekly index returns over 4 years: 5 weeks up for every 3 down
    "weeks_up_down": _csv("Year,Today,Volume,Direction", [
        f"{2000 + i // 52},{(i * 37) % 21 - 10:.1f},{1 + (i * 13) % 50 / 10:.1f},{'Down' if i % 8 < 3 else 'Up'}"
        for i in range(208)]),
    # household heads by village: a 0/1 ``male`` column with gaps (read as numbers), age
    "household_heads": _csv("village,age,male", [
        f"V{i % 4},{25 + (i * 7) % 50},{'' if i % 10 == 9 else (0 if i % 3 == 0 else 1)}" for i in range(40)]),
    # births: weight, the baby's sex as a 0/1 ``male`` flag, a 0/1 ``white`` flag
    "births": _csv("bwght,male,white", [f"{90 + (i * 13) % 60},{i % 2},{1 if i % 4 else 0}" for i in range(40)]),
    # state-years: the kind of seat belt law as a code 0/1/2 and as two 0/1 flags, a fatality rate
    "road_laws": _csv("state,year,seatbelt,sbprim,sbsecon,fatrate", [
        f"{['AL', 'AK', 'AZ', 'AR'][i % 4]},{1990 + i // 4},{i % 3},{1 if i % 3 == 1 else 0},{1 if i % 3 == 2 else 0},"
        f"{10 + (i * 7) % 15}.5" for i in range(48)]),
    # an export that keeps the year under a word for time: COUNTRY, TIME (2000 .. 2019), ARRIVALS, 3 countries
    "tourism_stats": _csv("COUNTRY,TIME,ARRIVALS", [
        f"{c},{y},{100 + (y - 2000) * 7 + k * 50}" for k, c in enumerate(["FRA", "ESP", "ITA"])
        for y in range(2000, 2020)]),
    # a race: TIME in seconds, 1,000 .. 2,150, scattered (no year)
    "race_results": _csv("runner,club,TIME", [f"R{i},{['Harriers', 'Striders'][i % 2]},{1000 + (i * 37) % 1150}"
                                               for i in range(30)]),
    # the share of a class that passed, as a fraction 0 .. 1, by school
    "pass_shares": _csv("school,year,passed_share", [
        f"{['Ash', 'Elm', 'Oak'][i % 3]},{2010 + i // 3},{0.2 + (i * 7) % 70 / 100:.2f}" for i in range(30)]),
    # a file named after its measure with a word before it: the methane a farm put out, by year
    "methane_output": _csv("farm,year,output", [
        f"{['Hill', 'Vale', 'Moor'][i % 3]},{2015 + i // 3},{40 + (i * 11) % 60}" for i in range(24)]),
    # daily returns of a fund as fractions (-0.05 .. 0.05) and trading volume, 120 days from 2 Jan 2023
    "fund_daily": _csv("date,fund_return,volume", [
        f"{date(2023, 1, 2) + timedelta(days=i)},{((i * 37) % 101 - 50) / 1000:.3f},{1000 + (i * 71) % 900}"
        for i in range(120)]),
    # daily mean temperatures in Celsius for two cities, -8 .. 21 °C
    "city_temps": _csv("date,city,mean_temp_c", [
        f"{date(2023, 1, 1) + timedelta(days=i // 2)},{['Oslo', 'Bergen'][i % 2]},{(i * 7) % 30 - 8}"
        for i in range(120)]),
    # a long table whose one measure has a name that says nothing ("value"): the population the file is named after
    "city_population": _csv("city,year,sex,value", [
        f"{c},{y},{x},{1000 + k * 300 + (y - 2000) * 11 + j}" for k, c in enumerate(["Ayr", "Troon", "Irvine"])
        for y in range(2000, 2021) for j, x in enumerate(["male", "female"])]),
    # households of a survey: a 0/1 take-up flag, the rice area and the farm population (coded agpop)
    "farm_survey": _csv("village,takeup,ricearea,agpop", [
        f"V{i % 5},{i % 2},{1 + (i * 7) % 20}.5,{2 + (i * 3) % 7}" for i in range(50)]),
    # births with the parents' schooling in columns of their own: the 0/1 ``male`` flag is the baby's
    "births_parents": _csv("bwght,male,motheduc,fatheduc", [
        f"{90 + (i * 13) % 60},{i % 2},{8 + i % 9},{9 + (i * 5) % 8}" for i in range(40)]),
    # House races: columns of candidate A and of candidate B told apart by a capital letter
    "races": _csv("state,voteA,expendA,expendB,democA", [
        f"{['AL', 'CA', 'NY', 'TX', 'OH'][i % 5]},{30 + (i * 7) % 60},{10 + (i * 37) % 900},{5 + (i * 53) % 700},"
        f"{i % 2}" for i in range(40)]),
    # homes: price in thousands of dollars (100 to 700), lot and house size in square feet, bedrooms
    "homes_k": _csv("price,lotsize,bdrms,sqrft", [
        f"{100 + (i * 37) % 600},{2000 + (i * 997) % 80000},{2 + i % 4},{900 + (i * 71) % 3000}" for i in range(50)]),
    # patients: age (30 values), cholesterol, a 0/1 disease flag
    "heart_checks": _csv("age,chol,target", [f"{30 + i % 30},{150 + (i * 37) % 200},{i % 2}" for i in range(90)]),
    # a glucose monitor's readings, every 6 hours over Jan-Apr 2024: the sensor current (isig) and the glucose
    "glucose_log": _csv("datetime,isig,glucose", [
        f"{datetime(2024, 1, 1) + timedelta(hours=6 * i)},{10 + (i * 7) % 30},{80 + (i * 13) % 150}"
        for i in range(480)]),
    # aircraft: tail number, maker, seats
    "fleet_register": _csv("tailnum,manufacturer,seats", [
        f"N{100 + i},{['BOEING', 'AIRBUS', 'EMBRAER', 'CESSNA'][i % 4]},{[180, 160, 80, 4][i % 4] + i % 7}"
        for i in range(40)]),
    # fast food stores: chain, employees, and the number of stores the owner has
    "store_staff": _csv("chain,emp,nstores", [
        f"{['BK', 'KFC', 'RR', 'Wendys'][i % 4]},{5 + (i * 7) % 40},{1 + (i * 3) % 20}" for i in range(40)]),
    # released prisoners: week of arrest, arrested (0/1), financial aid (0/1), age at release
    "released": _csv("week,arrest,fin,age", [
        f"{1 + (i * 11) % 52},{1 if i % 3 == 0 else 0},{i % 2},{17 + (i * 5) % 28}" for i in range(60)]),
    # firms: industrial or not (indus 0/1), sales
    "ceo_firms": _csv("salary,sales,indus", [
        f"{500 + (i * 37) % 900},{1000 + (i * 91) % 5000},{1 if i % 3 == 0 else 0}" for i in range(30)]),
    "salaries": _csv("salary,lsalary,finance,sales", [
        f"{500 + (i * 37) % 900},{6 + (i % 10) / 10},{1 if i % 4 == 0 else 0},{1000 + (i * 91) % 5000}"
        for i in range(40)]),
    # survey answers over three years: schooling in years (educ), two Low/High ratings, a score
    "answers": _csv("date,educ,disgust,fright,score", [
        f"{date(2019, 1, 1) + timedelta(days=9 * i)},{8 + i % 10},{['Low', 'High'][i % 2]},{['Low', 'High'][(i // 2) % 2]},"
        f"{1 + (i * 7) % 10}" for i in range(120)]),
    # 30 teams over four seasons (a year column), in 5 conferences
    "team_seasons": _csv("team,year,conference,wins", [
        f"Team{i % 30:02d},{2010 + i // 30},{['East', 'West', 'North', 'South', 'Central'][i % 5]},{5 + (i * 7) % 30}"
        for i in range(120)]),
    # workers with a 0/1 married flag, and leaders' spells in democracies or not (two text values)
    "flag_pairs": _csv("wage,exper,married,democracy,duration", [
        f"{8 + (i * 7) % 30}.5,{1 + (i * 3) % 40},{i % 2},{['Democracy', 'Non-democracy'][(i // 2) % 2]},{1 + (i * 5) % 12}"
        for i in range(40)]),
    # people of ages 30..69 by sex, with a cholesterol, and cows of three breeds with a butterfat
    "lines_for": _csv("age,sex,chol,breed,butterfat", [
        f"{30 + i % 40},{['male', 'female'][i % 2]},{180 + (i * 13) % 90},{['Jersey', 'Ayrshire', 'Guernsey'][i % 3]},"
        f"{3 + (i % 7) / 4}" for i in range(120)]),
    # exports by "area" — the areas are countries — and by "partner_code" (codes, no names)
    "exports": _csv("area,partner_code,year,tonnes", [
        f"{['Kenya', 'Peru', 'Norway', 'Vietnam', 'Chile'][i % 5]},P{i % 7},{2018 + i % 4},{100 + (i * 41) % 900}"
        for i in range(60)]),
    # a row per city and month, 2010..2014, as year and month numbers (no date column)
    "ym_sales": _csv("city,year,month,sales", [
        f"{c},{y},{m},{100 + (y * 7 + m * 13 + len(c)) % 90}" for c in ["Lyon", "Nice", "Metz"]
        for y in range(2010, 2015) for m in range(1, 13)]),
    # people per region and age band ("0-4" … "85+")
    "ages": _csv("region,age_band,people", [
        f"{r},{b},{100 + (i * 37) % 400}" for i, (r, b) in enumerate(
            (r, b) for r in ["Nord", "Sud"] for b in [f"{a}-{a + 4}" for a in range(0, 85, 5)] + ["85+"])]),
    # a museum's days: how many visitors came, and the temperature
    "museum": _csv("date,visitors,temp_c", [f"{d},{50 + (i * 37) % 300},{5 + (i * 7) % 25}" for i, d in enumerate(_DAYS)]),
    # a row per member (an id): people are the rows
    "members": _csv("member_id,city,age", [f"M{i},{['Lyon', 'Nice'][i % 2]},{20 + i % 50}" for i in range(40)]),
    # patients with two 0/1 flags
    "flags": _csv("patient_id,age,chol,smoker,diabetes", [
        f"P{i},{25 + (i * 7) % 50},{150 + (i * 13) % 120},{i % 2},{(i // 3) % 2}" for i in range(60)]),
    # a row per store and month, with a stock measured in months of supply
    "supplies": _csv("store,year,month,supply", [
        f"{s},{y},{m},{1 + (y + m * 3 + len(s)) % 9}.5" for s in ["Ayr", "Bath", "Crewe"]
        for y in range(2019, 2022) for m in range(1, 13)]),
    # one row a month, Jan 1995 .. Dec 2012 (216 rows)
    "decades": _csv("date,bookings", [f"{d},{100 + (i * 37) % 400}" for i, d in enumerate(_monthly(1995, 2012))]),
    "daily": _csv("date,store,sales", [f"{d},{'AB'[i % 2]},{10 + (i * 7) % 50}" for i, d in enumerate(_DAYS)]),
    # month written as text: 3 regions x 12 months; 3 years x 12 months
    "text_months": _csv("region,month,sales", [
        f"{r},{m},{100 + (i * 13) % 70}" for i, (r, m) in enumerate((r, m) for r in "NSE" for m in MONTHS)]),
    "year_months": _csv("year,month,sales", [
        f"{y},{m},{100 + (i * 13) % 70}" for i, (y, m) in enumerate((y, m) for y in (2021, 2022, 2023)
                                                                    for m in MONTHS)]),
    # units run 2000..2039: numbers near a year, but no time at all
    "units": _csv("shop,units,revenue", [f"{'XYZ'[i % 3]},{2000 + (i * 3) % 40},{100 + i}" for i in range(30)]),
    # years 2010..2017, six rows each
    "years": _csv("year,shop,units", [f"{2010 + i % 8},{'XYZ'[i % 3]},{2000 + (i * 3) % 40}" for i in range(48)]),
    # 5 states x 2000..2003; poverty = the state's base + years since 2000 (2002: Maine 13, Ohio 12, Idaho 11, …)
    "panel": _csv("state,year,poverty,income,alcohol_use,deaths_per_capita", [
        f"{s},{y},{b + y - 2000},{30000 + 1000 * b + 50 * (y - 2000)},{b / 4},{b * 3 + y % 7}"
        for s, b in (("Ohio", 10), ("Iowa", 7), ("Utah", 8), ("Maine", 11), ("Idaho", 9)) for y in range(2000, 2004)]),
    # 12 schools: earnings 30,000 + 2,500 i (above $45k: i = 7..11, five schools), 2015 and 2016
    "schools": _csv("school,state,year,earnings_med,count_working", [
        f"S{i},{['TX', 'CA', 'NY'][i % 3]},{2015 + i % 2},{30000 + 2500 * i},{100 + 10 * i}" for i in range(12)]),
    # hourly readings, 25 Jul .. 13 Aug 2023 (480 rows): level 40..400, signal 5..60
    "sensor": _csv("datetime,level,signal", [
        f"{T(2023, 7, 25) + pd.Timedelta(hours=i)},{40 + (i * 37) % 361},{5 + (i * 7) % 56}" for i in range(480)]),
    # 20 senators, two appointed a year 1988..1997
    "senate": _csv("name,party,prime_minister,reason,days_served,start_date", [
        f"N{i},{['Liberal', 'Conservative'][i % 2]},{['Mulroney', 'Chretien', 'Martin', 'Harper'][i % 4]},"
        f"{['Death', 'Resignation', 'Retirement'][i % 3]},{1000 + 137 * i},{date(1988 + i // 2, 1 + i % 12, 1)}"
        for i in range(20)]),
    # two seasons, written "2009-2010"; wins per team and season
    "teams": _csv("team,season,conference,wins", [
        f"{t},{season},{c},{w}" for t, c, ws in (("Duke", "ACC", (30, 28)), ("UNC", "ACC", (20, 29)),
                                               ("Kansas", "Big 12", (33, 35)), ("Baylor", "Big 12", (25, 18)))
        for season, w in zip(("2009-2010", "2010-2011"), ws)]),
    # states by USPS code (three schools each), and by name (one row each, DC included)
    "state_codes": _csv("school,state,earnings", [
        f"S{i},{['TX', 'CA', 'NY', 'IN', 'OR'][i % 5]},{30000 + 1000 * i}" for i in range(15)]),
    # 18 colleges, six of each degree type
    "colleges": _csv("school,degree_type,earnings_med", [
        f"C{i},{['Two-year degree', 'Four-year+ degree', 'Less than two-year'][i % 3]},{25000 + 1500 * i}"
        for i in range(18)]),
    "payroll": _csv("employee,department,Taxable Gross,hours", [
        f"E{i},{['Sales', 'IT', 'Ops'][i % 3]},{2000 + 150 * i},{20 + i % 20}" for i in range(30)]),
    # 24 admissions: readmitted 0/1, stays of 1..12 days (a continuous number), three discharge statuses
    "wards": _csv("admission_id,ward,readmitted,length_of_stay_days,discharge_status,cost_usd", [
        f"A{i},{['Cardio', 'Onco', 'Ortho'][i % 3]},{int(i % 4 == 0)},{1 + (i * 5) % 23},"
        f"{['Home', 'Transferred', 'Deceased'][i % 3 if i % 2 else 0]},{1000 + 250 * i}" for i in range(24)]),
    # 20 rides: 12 classic, 8 electric, at four stations (Park busiest: 8)
    "rides": _csv("trip_id,station,bike_type,duration_min", [
        f"{i},{['Park', 'Park', 'Harbor', 'Uni', 'Central'][i % 5] if i < 15 else 'Park'},"
        f"{'classic' if i < 12 else 'electric'},{5 + i}" for i in range(20)]),
    "pupils": _csv("student,gender,math_score", [f"P{i},{'MF'[i % 2]},{50 + (i * 7) % 45}" for i in range(16)]),
    # 30 loans of 1,000 .. 30,000 (above 20k: 21,000 .. 30,000, ten loans)
    "lending": _csv("loan_id,branch,amount,defaulted", [
        f"L{i},{['Leeds', 'York', 'Hull'][i % 3]},{1000 * (i + 1)},{int(i % 5 == 0)}" for i in range(30)]),
    "firms": _csv("firm,year,invest,value", [
        f"{f},{y},{10 + (i * 13) % 90},{500 + (i * 71) % 2000}" for i, (f, y) in
        enumerate((f, y) for f in ("Acme", "Borg", "Cyan") for y in range(2000, 2010))]),
    # 24 library loans over 2022: 3 branches, 4 genres (History at i % 4 == 1), 1..24 days out
    "library": _csv("loan_date,branch,genre,days_out", [
        f"{date(2022, 1 + i % 12, 1 + i)},{['Main', 'East', 'West'][i % 3]},{['Fiction', 'History', 'Science', 'Kids'][i % 4]},"
        f"{1 + i}" for i in range(24)]),
    # 40 support tickets, one every 37 hours from 1 Dec 2022 (the last on 30 Jan 2023); csat 1..5
    "tickets": _csv("ticket_id,created_at,channel,priority,resolution_hours,csat", [
        f"T{i},{T(2022, 12, 1) + pd.Timedelta(hours=37 * i)},{['email', 'chat'][i % 2]},{['low', 'urgent'][i % 3 == 0]},"
        f"{(i * 7) % 97}.5,{1 + i % 5}" for i in range(40)]),
    "landings": _csv("year,species,port,catch_tonnes", [
        f"{y},{sp},{po},{100 + (y - 2000) * 10 + len(sp) + len(po)}" for y in range(2000, 2021)
        for sp in ("Cod", "Mackerel") for po in ("Vigo", "Bergen")]),
    # 30 parcels: 3 carriers, delivery of 1..9 days; and 20 staff
    "parcels_out": _csv("ShipDate,Warehouse,Carrier,ShippingCost,DeliveryDays", [
        f"{date(2023, 1 + i % 12, 1 + i % 28)},{['Leeds', 'Derby'][i % 2]},{['DHL', 'UPS', 'Royal Mail'][i % 3]},"
        f"{5 + i}.25,{1 + (i * 4) % 9}" for i in range(30)]),
    "staff": _csv("EmpID,Dept,Salary,YearsAtCompany", [
        f"E{i},{['Sales', 'Eng'][i % 2]},{30000 + 2000 * i},{i % 15}" for i in range(20)]),
    # a run-together code name ("countycode", as "cowcode2") written as decimals: a code, no quantity to measure
    "counties": _csv("countycode,state,population", [
        f"{1001 + 2 * (i % 20)}.0,{['Ohio', 'Iowa'][i % 2]},{5000 + 731 * i}" for i in range(40)]),
    # 30 clinic visits in 2023 (one no-show in three), waits of 0..58 minutes
    "clinic": _csv("visit_date,clinic,doctor,wait_minutes,insurance,no_show", [
        f"{date(2023, 1, 2) + timedelta(days=3 * i)},{['North', 'South'][i % 2]},{['Lee', 'Patel', 'Okafor'][i % 3]},"
        f"{(i * 29) % 59},{['public', 'private', 'none'][i % 3]},{int(i % 3 == 1)}" for i in range(30)]),
    # area in hectares per region and crop, 2019..2020
    "crops": _csv("year,region,crop,area_ha,rainfall_mm", [
        f"{y},{r},{c},{100 * (k + 1)},{500 + 10 * k}" for k, (y, r, c) in enumerate(
            (y, r, c) for y in (2019, 2020) for r in ("Norte", "Sur") for c in ("wheat", "maize"))]),
    # 30 three-hourly readings: pm25 rises 3 a reading (above 50 from the 17th on: 13 readings)
    "air": _csv("timestamp,station,pm25,no2,o3,temp_c", [
        f"{T(2023, 1, 1) + pd.Timedelta(hours=3 * i)},{['Centre', 'Park'][i % 2]},{2 + 3 * i},{10 + i},{40 + (i * 7) % 30},"
        f"{(i * 7) % 31}" for i in range(30)]),
    # monthly results of four sales reps
    "reps": _csv("month,rep,team,deals_closed,calls", [
        f"2023-{m:02d},{r},{t},{(m * k) % 9},{50 + m * k}" for m in range(1, 13)
        for k, (r, t) in enumerate((("Ann", "East"), ("Bob", "East"), ("Cy", "West"), ("Dee", "West")), start=1)]),
    # 20 homes with 1..5 bedrooms (4 or more: 8 homes)
    "homes": _csv("price,sqrft,bdrms", [f"{200 + 13 * i},{1200 + 97 * i},{1 + i % 5}" for i in range(20)]),
    # 40 workers, 8..17 years of school
    "workers": _csv("wage,educ,exper,nonwhite", [
        f"{3 + (i * 7) % 20}.5,{8 + i % 10},{(i * 3) % 30},{int(i % 6 == 0)}" for i in range(40)]),
    "unemployment": _csv("Year,Jan,May,Oct,Nov,Dec", [
        f"{2000 + i},{6 - i % 4}.5,{2 + (i * 5) % 7}.3,{4 + (i * 3) % 5}.1,{3 + (i * 7) % 6}.2,{5 + i % 3}.0"
        for i in range(12)]),
    "spells": _csv("country,leader,regime,start_year", [
        f"{['Aland', 'Borduria', 'Cascadia'][i % 3]},L{i},{['Monarchy', 'Parliamentary'][i % 2]},{1950 + i}"
        for i in range(15)]),
    "repos": _csv("repo,team,lines_of_code", [f"r{i},{['core', 'web'][i % 2]},{1000 + 37 * (i % 20)}.0"
                                               for i in range(40)]),
    "shipments": _csv("order_date,region,revenue,shipping_days", [
        f"{date(2023, 1, 1) + timedelta(days=i % 90)},{['N', 'S'][i % 2]},{10 + (i * 7) % 90}.5,{1 + i % 14}"
        for i in range(180)]),
    "state_names": _csv("state,population", [
        f"{n},{1000 + 10 * i}" for i, n in enumerate(["Texas", "California", "Indiana", "Oregon", "Maine",
                                                      "District of Columbia"])]),
}


class Seen:
    """A question's result, and the rows its filters keep on the table."""

    def __init__(self, profile, question):
        self.r = classify_intent(question, profile)
        self.c = self.r.chart
        frame = load_frame(profile)
        self.rows = apply_filters(frame, self.r.filters)
        self.kept, self.total = len(self.rows), len(frame)

    def field(self, channel):
        enc = getattr(self.c, channel)
        return enc.field if enc is not None else None

    def grouped_by(self, column):
        return column in (self.field("x"), self.field("color"))

    def one_value_filter(self, column):
        return any(f.column == column and f.op == "eq" for f in self.r.filters)

    def __repr__(self):
        return f"{self.c!r}\nfilters={self.r.filters!r}\nkept={self.kept}/{self.total}\nnotes={self.r.notes!r}"


def _ids(value):
    return "check" if callable(value) else None


def _check(write_csv, table, question, check):
    seen = Seen(profile_dataset(write_csv(f"{table}.csv", TABLES[table])), question)
    assert seen.c is not None, seen.r.notes
    assert check(seen), repr(seen)


def _months(o, *months):
    return o.kept > 0 and set(o.rows["date"].dt.month) == set(months)


# ---------------------------------------------------------------- A. the issue's misses
@pytest.mark.parametrize("table,question,check", [
    ("vans", "hp vs weight",  # hp is horsepower; "vs" relates two quantities: a scatter
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"Horsepower_bhp", "Curb_Weight_kg"}),
    ("vans", "do heavier vans use more fuel?",  # heavier → weight, fuel → fuel use, "do … use more" relates them
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"Curb_Weight_kg", "Fuel_Use_l_100km"}),
    ("vans", "which make is the heaviest?",  # makes ranked by their mean weight
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate, o.c.sort)
     == ("bar", "Make", "Curb_Weight_kg", "mean", "descending")),
    ("vans", "is there a link between horsepower and fuel use?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"Horsepower_bhp", "Fuel_Use_l_100km"}),
    ("machines", "which machine vibrates the most?",  # vibrates → vibration, each machine's mean, highest first
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.sort)
     == ("machine", "vibration_mm_s", "mean", "descending")),
    ("deliveries", "distribution of delivery times",  # a histogram of the one number; no split was asked for
     lambda o: (o.c.mark, o.field("x"), o.c.y.aggregate, o.c.color) == ("bar", "delivery_time_h", "count", None)
     and bool(o.c.x.bin)),
    ("travellers", "how many children vs adults travelled?",  # counts per group; never the adults alone
     lambda o: o.grouped_by("age_group") and o.c.y.aggregate == "count"
     and not o.one_value_filter("age_group") and o.kept in (16, 20)),
    ("bookings", "how did bookings change in the 2010s?",  # 2010-01-01 .. 2019-12-31: 120 months
     lambda o: (o.c.mark, o.field("x")) == ("line", "date") and o.kept == 120
     and o.rows["date"].min() == T(2010, 1, 1) and o.rows["date"].max() == T(2019, 12, 1)),
    ("bookings", "bookings since 2014",  # inclusive: January 2014 .. December 2021, 8 x 12 months
     lambda o: o.kept == 96 and o.rows["date"].min() == T(2014, 1, 1)),
    ("bookings_month", "bookings in March",  # every March (one a year, 2008..2021); the month column or the date
     lambda o: o.kept == 14 and _months(o, 3)),
    ("parcels", "which warehouse has the most parcels?",  # a row is a parcel: count rows, not add up costs
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.sort) == ("warehouse", "count", "descending")),
], ids=_ids)
def test_issue_misses(write_csv, table, question, check):
    _check(write_csv, table, question, check)


# ---------------------------------------------------------------- B. chart choice
@pytest.mark.parametrize("table,question,check", [
    # one number's distribution: a histogram, unsplit
    ("shops", "distribution of revenue",
     lambda o: (o.c.mark, o.field("x"), o.c.y.aggregate, o.c.color) == ("bar", "revenue", "count", None)
     and bool(o.c.x.bin)),
    ("shops", "how is revenue distributed?",
     lambda o: (o.c.mark, o.field("x"), o.c.color) == ("bar", "revenue", None) and bool(o.c.x.bin)),
    # … split when asked: a box plot per region, or a histogram coloured by region
    ("shops", "distribution of revenue by region",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "region", "revenue")
     or (o.c.mark == "bar" and o.field("x") == "revenue" and bool(o.c.x.bin) and o.field("color") == "region")),
    # two quantities related: a scatter of both
    *[("shops", q, lambda o, pair=pair: o.c.mark == "point" and {o.field("x"), o.field("y")} == pair) for q, pair in [
        ("revenue vs units", {"revenue", "units"}),
        ("relationship between price and units", {"price", "units"}),
        ("does price affect units?", {"price", "units"}),
        ("do pricier items get fewer units?", {"price", "units"}),
        ("is there a link between price and revenue", {"price", "revenue"}),
    ]],
    # a trend "for each / per / by" a group: one line per group
    ("shops", "revenue trend for each region",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.field("color")) == ("line", "date", "revenue", "region")),
    ("shops", "revenue over time per channel",
     lambda o: (o.c.mark, o.field("x"), o.field("color")) == ("line", "date", "channel")),
    # two values compared: the column is the grouping, with both values kept (30 rows a region, 45 a channel)
    ("shops", "revenue in North or South",
     lambda o: o.grouped_by("region") and not o.one_value_filter("region") and o.kept in (60, 90)),
    ("shops", "North vs South revenue",
     lambda o: o.grouped_by("region") and not o.one_value_filter("region") and o.kept in (60, 90)),
    ("shops", "compare web and store revenue",
     lambda o: o.grouped_by("channel") and not o.one_value_filter("channel") and o.kept == 90),
    # a share: slices (or bars) of the summed quantity
    ("shops", "share of revenue by region",
     lambda o: o.c.mark in ("arc", "bar") and (o.field("y"), o.c.y.aggregate) == ("revenue", "sum")
     and o.grouped_by("region")),
    # "share price" is a price, not a share: a monthly line (or bars) of the price, no pie
    ("stock", "share price by month",
     lambda o: o.c.mark in ("line", "bar") and o.field("y") == "share_price" and o.c.x.time_unit == "month"),
    # "line items" is a column: per channel that is bars, not a line chart
    ("orders", "average line items by channel",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate) == ("bar", "channel", "line_items", "mean")),
    ("orders", "line items per order", lambda o: o.c.mark != "line" and o.field("y") == "line_items"),
    pytest.param("orders", "line items per order",  # an order is named by its id, not by its total
                 lambda o: o.field("x") == "order_id", id="per-order-is-order_id"),
    # "bar staff" is a column: over time it is a line, against covers a scatter — "bar" forces no bars
    ("pubs", "bar staff over time", lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("line", "date", "bar_staff")),
    ("pubs", "bar staff vs covers",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"bar_staff", "covers"}),
    ("pubs", "average bar staff by shift",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("bar", "shift", "bar_staff")),
    # and the other way round: "bar" said as the chart word names no column
    ("pubs", "bar chart of covers by shift",  # the "bar" of "bar chart" names no column (bar_staff)
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("bar", "shift", "covers")),
], ids=_ids)
def test_chart_choice(write_csv, table, question, check):
    _check(write_csv, table, question, check)


# ---------------------------------------------------------------- C. dates and periods
@pytest.mark.parametrize("table,question,check", [
    # decades: 1995..2012 monthly, so the 2000s are 120 rows and the '90s the 60 of 1995..1999
    ("decades", "bookings in the 2000s",
     lambda o: o.kept == 120 and o.rows["date"].min() == T(2000, 1, 1) and o.rows["date"].max() == T(2009, 12, 1)),
    ("decades", "bookings in the '90s", lambda o: o.kept == 60 and o.rows["date"].max() == T(1999, 12, 1)),
    ("decades", "bookings in the 1990s", lambda o: o.kept == 60),
    # "since" keeps the month it names: March 2010 .. December 2012 is 10 + 24 months
    ("decades", "bookings since March 2010", lambda o: o.kept == 34 and o.rows["date"].min() == T(2010, 3, 1)),
    # the last decade counts back from the data's last year (2012): 2003..2012, not from today
    ("decades", "bookings over the last decade",
     lambda o: o.c.mark == "line" and o.kept == 120 and o.rows["date"].min() == T(2003, 1, 1)),
    ("bookings", "how did bookings change over the last decade?",  # data ends 2021: 2012..2021
     lambda o: o.c.mark == "line" and o.kept == 120 and o.rows["date"].min() == T(2012, 1, 1)),
    ("bookings", "how did bookings change over the decade?",  # no decade named: the data's last ten years
     lambda o: o.c.mark == "line" and o.kept == 120 and o.rows["date"].min() == T(2012, 1, 1)),
    ("bookings", "bookings in the 2010s: how did they change over the decade?",  # the decade named
     lambda o: o.c.mark == "line" and o.kept == 120 and o.rows["date"].min() == T(2010, 1, 1)),
    ("bookings", "bookings in the last decade",  # still a trend over time; "last" ranks nothing
     lambda o: o.c.mark == "line" and o.kept == 120),
    # the part of a decade ("the late 2000s": 2005..2009), and a decade after "since" or "before"
    ("decades", "bookings in the late 2000s",
     lambda o: o.kept == 60 and o.rows["date"].min() == T(2005, 1, 1) and o.rows["date"].max() == T(2009, 12, 1)),
    ("decades", "How have bookings moved since the late 2000s?",
     lambda o: o.kept == 96 and o.rows["date"].min() == T(2005, 1, 1)),
    ("decades", "bookings before the 2000s", lambda o: o.kept == 60 and o.rows["date"].max() == T(1999, 12, 1)),
    # near miss: "through the 2000s" is during them
    ("decades", "bookings through the 2000s", lambda o: o.kept == 120),
    # "per yr" is yearly
    ("decades", "median bookings per yr", lambda o: (o.c.x.time_unit, o.c.y.aggregate) == ("year", "median")),
    # years then a column in brackets: the years are a period, not amounts of the bracketed column
    ("oil_monthly", "oil price trend 2014-2016 (WTI)",
     lambda o: (o.c.mark, o.field("y")) == ("line", "WTI") and o.kept == 36
     and o.rows["Date"].min() == T(2014, 1, 1)),
    # a month name on a date column: every March of 18 years, or the one March of a one-year table
    ("decades", "bookings in March", lambda o: o.kept == 18 and _months(o, 3)),
    ("daily", "sales in March", lambda o: o.kept == 31 and _months(o, 3)),
    # weekday names on a date column: 52 Mondays, 104 weekend days in the 52 weeks
    ("daily", "sales on Mondays", lambda o: o.kept == 52 and set(o.rows["date"].dt.day_of_week) == {0}),
    ("daily", "sales on weekends", lambda o: o.kept == 104 and set(o.rows["date"].dt.day_of_week) == {5, 6}),
    ("daily", "sales on Sundays by store",
     lambda o: o.kept == 52 and set(o.rows["date"].dt.day_of_week) == {6} and o.field("x") == "store"),
    # a month name on a column of month names: the rows of that month (one per region; one in 2022)
    ("text_months", "sales in March", lambda o: o.kept == 3 and set(o.rows["month"]) == {"Mar"}),
    ("year_months", "sales in February 2022",
     lambda o: o.kept == 1 and set(o.rows["month"]) == {"Feb"} and set(o.rows["year"]) == {2022}),
    # a year filters a column of years (six rows of 2015) …
    ("years", "units in 2015", lambda o: o.kept == 6 and set(o.rows["year"]) == {2015}),
    # … never a number column that merely holds values near it
    ("units", "sales in 2015", lambda o: o.r.filters == []),
    ("units", "units in 2015 by shop", lambda o: o.r.filters == [] and o.field("x") == "shop"),
    ("units", "total units since 2015", lambda o: o.r.filters == []),
    pytest.param("units", "total units since 2015",  # no time column: totals per shop are bars
                 lambda o: o.c.mark != "line", id="no-time-no-line"),
], ids=_ids)
def test_dates_and_periods(write_csv, table, question, check):
    _check(write_csv, table, question, check)


# ---------------------------------------------------------------- D. everyday phrasings beyond the column names
def _expected(table, keep):
    """The rows a filter should keep, counted with pandas on the table as built above (not by the system)."""
    from io import StringIO

    frame = pd.read_csv(StringIO(TABLES[table]), parse_dates=["datetime"] if table == "sensor" else False)
    return int(keep(frame).sum())


@pytest.mark.parametrize("table,question,check", [
    # "N things with the highest …" is a top-N even without "top" or "which"
    ("panel", "3 states with the highest poverty in 2002",
     lambda o: (o.field("x"), o.field("y"), o.c.limit, o.c.sort) == ("state", "poverty", 3, "descending")
     and o.kept == 5),
    # "one dot per state": what each dot is, no colour; "one box per year": the boxes' axis
    ("panel", "income vs poverty in 2001, one dot per state",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"income", "poverty"} and o.c.color is None),
    ("panel", "poverty across states, one box per year",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "year", "poverty")),
    # "per capita" is the rate of the measure before it, not deaths_per_capita as a split
    ("panel", "top 3 states by average alcohol use per capita",
     lambda o: (o.field("x"), o.field("y"), o.c.color) == ("state", "alcohol_use", None)),
    # a median-named column is averaged, never added up
    ("schools", "earnings trend by state",
     lambda o: (o.c.mark, o.field("y"), o.c.y.aggregate, o.field("color")) == ("line", "earnings_med", "mean", "state")),
    # "the highest average": the average, ranked (not the maximum)
    ("schools", "which 2 states have the highest average earnings?",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.limit) == ("state", "mean", 2)),
    # "$45k" is 45,000
    ("schools", "how many schools report median earnings above $45k?",
     lambda o: o.kept == 5 and set(o.rows["school"]) == {"S7", "S8", "S9", "S10", "S11"}),
    # "the number of working alumni" is the count_working column, added up; no row count
    ("schools", "total number of working alumni per year",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("year", "count_working", "sum")),
    # a number with no column named: the quantity whose values reach it (level 40..400, signal 5..60)
    ("sensor", "how many readings above 250 were there each day?",
     lambda o: o.c.y.aggregate == "count" and o.kept == _expected("sensor", lambda f: f["level"] > 250)
     and all(f.column == "level" for f in o.r.filters)),
    ("sensor", "plot every reading above 300 as dots over time",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("point", "datetime", "level")
     and o.kept == _expected("sensor", lambda f: f["level"] > 300)),
    # "weekend readings": Saturdays and Sundays
    ("sensor", "weekend readings only - histogram of level",
     lambda o: o.kept == _expected("sensor", lambda f: f["datetime"].dt.day_of_week >= 5)
     and set(o.rows["datetime"].dt.day_of_week) == {5, 6}),
    # "from August 2023 on": from its first day, not from the start of 2023
    ("sensor", "daily average level from August 2023 on",
     lambda o: o.rows["datetime"].min() == T(2023, 8, 1) and o.kept == 13 * 24),
    # "days" is the unit of days_served, not the start date; "PMs" is no 3 pm
    ("senate", "Top 3 PMs by mean tenure in days",
     lambda o: (o.field("y"), o.c.y.aggregate, o.c.limit) == ("days_served", "mean", 3) and o.r.filters == []),
    ("senate", "how many days on average did senators serve in each party?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("party", "days_served", "mean")),
    # "from 1990 up to 1995": one stretch, both ends kept (two a year: 12 senators)
    ("senate", "appointments each year from the start in 1990 up to 1995",
     lambda o: o.kept == 12 and set(o.rows["start_date"].dt.year) == set(range(1990, 1996))),
    # values given as examples ("…") group the column; they filter nothing
    ("senate", "box plot of days served by reason for leaving (death, resignation...)",
     lambda o: o.c.mark == "boxplot" and o.field("x") == "reason" and o.kept == 20),
    ("senate", "box plot of days served by reason for leaving (e.g. Death or Resignation)",
     lambda o: o.c.mark == "boxplot" and o.field("x") == "reason" and o.kept == 20),
    # "I mean" is a way of speaking, not an average
    ("senate", "what does the spread of service look like? I mean the distribution of days served",
     lambda o: o.c.mark == "bar" and o.field("x") == "days_served" and bool(o.c.x.bin) and o.c.y.aggregate == "count"),
    # a season said short ("2009-10") is the value written long ("2009-2010"): the four teams of that season
    ("teams", "2009-10 wins by conference",
     lambda o: o.kept == 4 and set(o.rows["season"]) == {"2009-2010"} and o.field("x") == "conference"),
    # a line joins ordered points: conferences have no order, so "per season" gives ranked bars
    ("teams", "Which conference averages the most wins per season?",
     lambda o: (o.c.mark, o.field("x"), o.c.y.aggregate, o.c.sort) == ("bar", "conference", "mean", "descending")),
    # a state's USPS code written in capitals finds the state (both ways); "us", "in", "me" stay words
    ("state_codes", "average earnings of Texas schools",
     lambda o: o.kept == 3 and set(o.rows["state"]) == {"TX"}),
    ("state_names", "population in CA and TX",
     lambda o: o.kept == 2 and set(o.rows["state"]) == {"California", "Texas"}),
    ("state_names", "show us the population in each state, me included", lambda o: o.kept == 6),
    # "the states and DC" adds DC to all states: nothing is filtered out
    ("state_names", "how is population distributed across the states and DC?", lambda o: o.kept == 6),
    # one row per state in 2002: the spread across states is a histogram, not a box of one point per state
    ("panel", "How was poverty distributed across the states in 2002?",
     lambda o: o.c.mark == "bar" and o.field("x") == "poverty" and bool(o.c.x.bin) and o.c.color is None
     and o.kept == 5),
    # "more X … higher Y?" asks whether two quantities go together
    ("panel", "Do states with more alcohol use also have higher poverty?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"alcohol_use", "poverty"}
     and o.c.size is None),
    # a hyphenated compound names a value in any case, with digits or words: "two-year", "2-year", "4-year"
    ("colleges", "two-year colleges: how are their median earnings distributed?",
     lambda o: (o.c.mark, o.field("x"), o.c.y.aggregate) == ("bar", "earnings_med", "count") and bool(o.c.x.bin)
     and o.kept == 6 and set(o.rows["degree_type"]) == {"Two-year degree"}),
    # "compare the spread … across" types: a box per type (the types named are kept)
    ("colleges", "Compare the spread of median earnings across 2-year and 4-year schools",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "degree_type", "earnings_med") and o.kept == 12),
    # a qualifier that ends a name after no noun is the name's noun: "gross" is Taxable Gross
    ("payroll", "gross vs hours",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"Taxable Gross", "hours"}),
    # a verb's noun (WordNet: earns → earnings) found through our synonyms (earnings ~ revenue)
    ("shops", "which region earns the most?",
     lambda o: (o.field("x"), o.field("y"), o.c.sort) == ("region", "revenue", "descending") and not o.r.unmatched),
    # a rate of a 0/1 column is its mean; the flag is not kept to its 1s
    ("wards", "readmission rate by ward",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("ward", "readmitted", "mean") and o.kept == 24),
    ("lending", "default rate by branch",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("branch", "defaulted", "mean") and o.kept == 30),
    # "per stay" beside "by discharge status": the unit of the cost, no grouping by a continuous number
    ("wards", "average cost per stay by discharge status",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.color) == ("discharge_status", "cost_usd", "mean",
                                                                          None)),
    # one side of "vs" not recognised ("e-bikes"): the column is compared, never filtered to "classic"
    ("rides", "how many e-bikes vs classic bikes were rented?",
     lambda o: o.field("x") == "bike_type" and o.c.y.aggregate == "count" and o.kept == 20),
    # a superlative that is the whole question ranks: the busiest station first
    ("rides", "busiest station",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.sort) == ("station", "count", "descending")),
    # boys/girls, men/women are the M/F values of a gender column
    ("pupils", "boys vs girls average math",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("gender", "math_score", "mean") and o.kept == 16),
    # "top 3 loans by amount": the loans ranked by their amount, not amounts as groups
    ("lending", "top 3 loans by amount",
     lambda o: (o.field("x"), o.field("y"), o.c.limit) == ("loan_id", "amount", 3)),
    # "loan amounts" on a loans table: the amount column ("loan" only says whose)
    ("lending", "distribution of loan amounts above 20k",
     lambda o: o.field("x") == "amount" and bool(o.c.x.bin) and o.kept == 10),
    # "firm value": the value column, not a filler word of "firm"
    ("firms", "How does investment relate to firm value?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"invest", "value"}),
    # "how long …": the one quantity whose name says it is a duration
    ("library", "how long are books kept out on average, by genre?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("genre", "days_out", "mean")),
    # "loans" over loan_date names the events (counted), not a date axis
    ("library", "Break down loans by genre and branch",
     lambda o: (o.c.mark, o.field("x"), o.field("color"), o.c.y.aggregate) == ("bar", "genre", "branch", "count")),
    # a value's word ("History") cues no task: ranked bars of branches, History books only
    ("library", "which branch lends the most history books?",
     lambda o: (o.c.mark, o.field("x"), o.c.y.aggregate, o.c.sort) == ("bar", "branch", "count", "descending")
     and o.kept == 6 and set(o.rows["genre"]) == {"History"}),
    # the tickets named are counted per month, not a quantity of the table
    ("tickets", "urgent tickets per month",
     lambda o: o.c.y.aggregate == "count" and o.field("y") is None and set(o.rows["priority"]) == {"urgent"}),
    # csat: "customer satisfaction"; "satisfied" reaches it through WordNet
    ("tickets", "how satisfied are customers by channel?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("channel", "csat", "mean")),
    # "over 2023" on csat (1..5) is the year of the tickets' time, not a threshold that keeps nothing
    ("tickets", "csat trend over 2023",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("line", "created_at", "csat")
     and o.kept == _expected("tickets", lambda f: pd.to_datetime(f["created_at"]).dt.year == 2023)),
    # "more than 2 days" on resolution_hours: more than 48 hours
    ("tickets", "how many tickets took more than 2 days?",
     lambda o: o.kept == _expected("tickets", lambda f: f["resolution_hours"] > 48)),
    # "how much": a total
    ("landings", "how much mackerel was landed in Bergen since 2010?",
     lambda o: (o.field("y"), o.c.y.aggregate) == ("catch_tonnes", "sum") and o.kept == 11),
    # "slowest" with no speed column: the one duration column, longest first
    ("parcels_out", "which carrier is the slowest?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.sort) == ("Carrier", "DeliveryDays", "mean",
                                                                          "descending") and not o.r.unmatched),
    ("parcels_out", "fastest carrier", lambda o: (o.field("y"), o.c.sort) == ("DeliveryDays", "ascending")),
    # a verb's noun that is a duration ("resolves" → resolution_hours): the fastest take the least time
    ("tickets", "which channel resolves tickets fastest?",
     lambda o: (o.field("x"), o.field("y"), o.c.sort) == ("channel", "resolution_hours", "ascending")),
    # spend ~ cost (vocabulary.yaml)
    ("parcels_out", "total shipping spend by warehouse and carrier",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.field("color")) == ("Warehouse", "ShippingCost", "sum",
                                                                                "Carrier")),
    # tenure ~ years at company
    ("staff", "does tenure affect salary?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"YearsAtCompany", "Salary"}),
    ("counties", "show me a histogram", lambda o: o.field("x") == "population" and bool(o.c.x.bin)),  # not countycode
    ("counties", "average by state", lambda o: (o.field("x"), o.field("y")) == ("state", "population")),
    ("repos", "lines of code by team", lambda o: (o.field("x"), o.field("y")) == ("team", "lines_of_code")),
    # two letters swapped in a short word ("wiat"); a time said by its unit ("wait time" → wait_minutes)
    ("clinic", "wiat time by clinc",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate) == ("bar", "clinic", "wait_minutes", "mean")),
    ("clinic", "wait times: public vs private insurance",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("bar", "insurance", "wait_minutes") and o.kept == 20),
    ("clinic", "who keeps patients waiting longest? avg wait per doctor",
     lambda o: (o.field("x"), o.field("y"), o.c.sort) == ("doctor", "wait_minutes", "descending")),
    # "no-show" (hyphenated) is the no_show column; "number of" names no column through "no" = number
    ("clinic", "no-show rate by insurance type",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("insurance", "no_show", "mean") and o.kept == 30),
    ("clinic", "number of visits by weekday",
     lambda o: o.c.y.aggregate == "count" and o.c.x.time_unit == "weekday" and o.c.color is None),
    # "area" is area_ha's own word (ha: hectares), over region's synonym; "area share" still asks for shares
    ("crops", "total area planted per crop",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("crop", "area_ha", "sum")),
    ("crops", "area share by crop in 2020",
     lambda o: (o.c.mark, o.field("color"), o.field("y")) == ("arc", "crop", "area_ha") and o.kept == 4),
    # chemical short forms stay whole (no2 is no "no" = number) and are written out: ozone → o3; "PM2.5" → pm25
    ("air", "ozone vs temperature",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"o3", "temp_c"}),
    ("air", "pm2.5 levels by station",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("station", "pm25", "mean")),
    ("air", "how often did PM2.5 exceed 50?",
     lambda o: o.c.y.aggregate == "count" and o.kept == 13 and o.rows["pm25"].min() > 50),
    # "who …": the column of people
    ("reps", "who closed the most deals?",
     lambda o: (o.field("x"), o.field("y"), o.c.sort) == ("rep", "deals_closed", "descending")),
    # two years or decades set side by side on one time column: the stretch holding both, never no rows at all
    ("bookings", "bookings in 2010 vs 2012",
     lambda o: o.kept == 36 and o.rows["date"].min() == T(2010, 1, 1) and o.rows["date"].max() == T(2012, 12, 1)),
    ("decades", "average bookings in the 90s vs the 2000s",
     lambda o: o.kept == 180 and o.rows["date"].min() == T(1995, 1, 1)),
    # "at least 4" is a bound, not a ranking ("least"): the scatter asked for, of the 8 homes
    ("homes", "houses with at least 4 bedrooms: price vs sq ft",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"price", "sqrft"} and o.kept == 8),
    # the phrase that names the ranked column holds the head ("education levels" → educ)
    ("workers", "Which 3 education levels (years of school) have the highest average wage?",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.limit) == ("bar", "educ", "wage", 3)),
    # "which year had the highest …": a chosen period is a bar, not a line
    ("years", "which year had the highest units?", lambda o: (o.c.mark, o.field("x")) == ("bar", "year")),
    # values compared over a stretch of years: a line each
    ("shops", "compare the revenue of North and South since 2016",
     lambda o: (o.c.mark, o.field("x"), o.field("color")) == ("line", "date", "region")),
    # "what share … in each year" on a table in time: the periods' parts, as bars of the years
    ("daily", "What share of all the sales was made in each month?",
     lambda o: (o.c.mark, o.field("x"), o.c.x.time_unit) == ("bar", "date", "month")),
    # "worst" on a table named for something bad (unemployment.csv): the highest first
    ("unemployment", "In which three years was the November rate worst?",
     lambda o: (o.field("x"), o.field("y"), o.c.sort, o.c.limit) == ("Year", "Nov", "descending", 3)),
    # a column named as a stopword is ("May"), written as its name: that column
    ("unemployment", "Since 2003, which years had the highest May unemployment? Show the top 3.",
     lambda o: (o.field("x"), o.field("y"), o.c.limit) == ("Year", "May", 3)),
    # a loosely related word ("government" ~ regime) colours no ranking
    ("spells", "Which 2 countries went through the most heads of government?",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.color) == ("country", "count", None)),
    # "days" as periods of the time line ("unusual days") is not the unit of shipping_days; counted or measured in
    # ("how many days … on average") it is
    ("shipments", "any unusual days in daily revenue?",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("line", "order_date", "revenue")),
    ("shipments", "how many days did shipping take on average by region",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("region", "shipping_days", "mean")),
    # "average units … with price": units against price; no third column from the profile as a size
    ("shops", "how does average units grow with price?",
     lambda o: {o.field("x"), o.field("y")} == {"price", "units"} and o.c.size is None and o.c.color is None),
    # a year column is a number when its relationship with a quantity is asked
    ("years", "is there a relationship between the year and units?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"year", "units"}),
    # "%" after a word is "percent" in a name ("pass %" → pass_pct, not passes); it is no share-of-total cue
    ("league", "avg pass % by division",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate) == ("bar", "division", "pass_pct", "mean")),
    # a column whose values are all seasons ("2016-2017") is what "per season" names, whatever its name
    ("league", "points per season for each division",
     lambda o: (o.field("x"), o.field("y"), o.field("color")) == ("yr", "points", "division")),
    ("league", "Rovers points by season",
     lambda o: (o.field("x"), o.field("y")) == ("yr", "points") and set(o.rows["club"]) == {"Rovers"}),
    # near miss: "by season" on a table with dates and no season column is not a column (no "yr" here)
    ("shops", "revenue by season",
     lambda o: o.field("y") == "revenue" and o.field("x") in ("date", None)),
    # near miss: "10%" is a number with its sign, not the word "percent"
    ("league", "clubs with pass % above 90%",
     lambda o: o.kept > 0 and (o.rows["pass_pct"] > 90).all()),
    # "which N days" of readings taken several times a day ranks calendar days; "hours of the day" the hours
    ("gauge", "Which 3 days had the highest average level?",
     lambda o: (o.field("x"), o.c.x.time_unit, o.c.y.aggregate, o.c.limit) == ("read_at", "day", "mean", 3)),
    ("gauge", "which 4 hours of the day have the lowest mean level",
     lambda o: (o.c.x.time_unit, o.c.sort, o.c.limit) == ("hour_of_day", "ascending", 4)),
    # a long table's one quantity named only "Value" is what "population", "how many men" measure: summed
    ("census_long", "total population by region in 2020",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("region", "Value", "sum")
     and set(o.rows["year"]) == {2020}),
    ("census_long", "how many people lived in Nord each year?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("year", "Value", "sum")
     and set(o.rows["region"]) == {"Nord"}),
    # near misses: rows counted when asked ("records"); a row per payment is counted, not its amount
    ("census_long", "how many records per region",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.y.field) == ("region", "count", None)),
    ("payments", "how many payments per customer",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.y.field) == ("customer", "count", None)),
    # "by weekday" takes a column holding the weekday, as names or as numbers, before the date's weekday
    ("trades", "average ret by weekday",
     lambda o: (o.field("x"), o.field("y"), o.c.x.time_unit) == ("wkday", "ret", None)),
    ("trades", "box plot of ret for each day of the week",
     lambda o: (o.c.mark, o.field("x")) == ("boxplot", "wkday")),
    ("hourly", "mean riders per day of the week",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("dow", "riders", "mean")),
    # a column whose values are mostly countries (WordNet's instances) is what "countries" names
    ("exports", "total tonnes per country",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("area", "tonnes", "sum")),
    ("exports", "which 3 nations exported the most tonnes in 2020?",
     lambda o: (o.field("x"), o.c.limit) == ("area", 3) and set(o.rows["year"]) == {2020}),
    # a month said as a modifier keeps that month: "July sales", "each December"
    ("daily", "July sales per store",
     lambda o: o.field("x") == "store" and o.field("y") == "sales" and _months(o, 7)),
    ("bookings", "bookings each December, year by year",
     lambda o: o.field("y") == "bookings" and _months(o, 12)),
    # near miss: a month named as the start of a span or a list is that span ("June to August"), not June
    ("daily", "sales from June to August",
     lambda o: _months(o, 6, 7, 8)),
    # "ranked by total <word> X": X is the measure ranked by, not a grouping, with a word between
    ("shops", "regions ranked by total dollar revenue of units sold",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.color) == ("region", "revenue", "sum", None)),
    # "moved", "fluctuated": trend verbs; compared values get a line each
    ("ym_sales", "How have sales moved in Lyon and Nice?",
     lambda o: (o.c.mark, o.field("x"), o.field("color")) == ("line", "year", "city")),
    # "monthly … over time" over year and month numbers: the years' line, not the 12 months folded together
    ("ym_sales", "monthly sales in Metz over time",
     lambda o: (o.c.mark, o.field("x")) == ("line", "year") and set(o.rows["city"]) == {"Metz"}),
    # near miss: "by month" asks for the months, folded over the years
    ("ym_sales", "average sales by month",
     lambda o: o.field("x") == "month"),
    # "women", "females": the value "female" of sex (a value beats a synonym of its own column's name)
    ("census_long", "how many women lived in each region?",
     lambda o: (o.field("x"), o.field("y")) == ("region", "Value") and set(o.rows["sex"]) == {"female"}),
    ("census_long", "men vs women over the years",
     lambda o: (o.c.mark, o.field("x"), o.field("color")) == ("line", "year", "sex")),
    # near miss: "by gender" names the column
    ("census_long", "total by gender",
     lambda o: o.field("x") == "sex" and o.kept == 48),
    # a comparison on a column of number bands keeps the bands it covers
    ("ages", "people aged 65 or over per region",
     lambda o: o.field("x") == "region" and set(o.rows["age_band"]) == {"65-69", "70-74", "75-79", "80-84", "85+"}),
    ("ages", "how many people aged under 10 in each region",
     lambda o: set(o.rows["age_band"]) == {"0-4", "5-9"}),
    # a quarter said without a year is that quarter of every year
    ("decades", "bookings in Q1 of every year",
     lambda o: o.kept == 18 * 3 and set(o.rows["date"].dt.month) == {1, 2, 3}),
    ("decades", "bookings in the fourth quarter, by year",
     lambda o: o.field("x") == "date" and set(o.rows["date"].dt.month) == {10, 11, 12}),
    # near miss: a quarter with its year is that one quarter
    ("decades", "bookings in Q2 2001", lambda o: o.kept == 3 and set(o.rows["date"].dt.year) == {2001}),
    # a decade in words: "the nineties" (1990-1999)
    ("decades", "bookings in the nineties",
     lambda o: o.kept > 0 and o.rows["date"].dt.year.min() == 1995 and o.rows["date"].dt.year.max() == 1999),
    # decades listed short after the first ("the 70s and 80s") span both
    ("decades", "bookings in the 90s and 2000s",
     lambda o: o.kept > 0 and o.rows["date"].dt.year.min() == 1995 and o.rows["date"].dt.year.max() == 2009),
    # "month by month" within one year said: the month column
    ("ym_sales", "Sales in Lyon during 2012, month by month",
     lambda o: o.field("x") == "month" and set(o.rows["year"]) == {2012}),
    # "over the course of the day": the hours ("hr" is a short form of hour, 0..23), not a column named day
    ("hourly", "average riders over the course of the day",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("hr", "riders", "mean")),
    # "how many people" on a table of days is its one count of people (visitors), summed, not a count of days
    ("museum", "how many people came each month?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("date", "visitors", "sum")),
    # near misses: days counted when no people are said; people counted as rows where a row is a person
    ("museum", "how many days were warmer than 20 degrees each month?",
     lambda o: o.c.y.aggregate == "count" and o.c.y.field is None),
    ("members", "how many people live in each city?",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.y.field) == ("city", "count", None)),
    # a condition said as a split: "colour by whether they are a smoker", "with vs without diabetes"
    ("flags", "age vs chol, colour by whether they are a smoker",
     lambda o: (o.c.mark, o.field("color")) == ("point", "smoker") and {o.field("x"), o.field("y")} == {"age", "chol"}),
    ("flags", "average chol by age for patients with vs without diabetes",
     lambda o: (o.field("x"), o.field("y"), o.field("color")) == ("age", "chol", "diabetes") and o.kept == 60),
    # "months of supply": the unit of the supply column, not the month column
    ("supplies", "which stores have the lowest average months of supply?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("store", "supply", "mean")),
    # near miss: "months" alone groups by the month column
    ("supplies", "average supply by month",
     lambda o: (o.field("x"), o.field("y")) == ("month", "supply")),
    # a period word after a count and "per" or "/" is the count's rate when something else groups: the mean
    # bikers of an hour, per weather or per season, not split by hour
    ("rentals", "avg bikers/hour by weather, highest first",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate, o.c.color) == ("bar", "weather", "bikers",
                                                                                       "mean", None)),
    ("rentals", "I need to compare the four seasons. Mean riders per hour for each, please.",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate, o.c.color) == ("bar", "season", "bikers",
                                                                                       "mean", None)),
    # near misses: nothing else groups, so the hours are the axis; a level ("pass %") per season is its axis
    ("rentals", "average bikers per hour",
     lambda o: (o.field("x"), o.field("y")) == ("hr", "bikers")),
    ("league", "avg pass % per season for each club",
     lambda o: (o.field("x"), o.field("y"), o.field("color")) == ("yr", "pass_pct", "club")),
    # "days of the week" are weekdays (dow), not the day-of-month column, in bars and in a pie
    ("rentals", "Which days of the week see the most bikers?",
     lambda o: (o.field("x"), o.field("y"), o.c.color) == ("dow", "bikers", None)),
    ("rentals", "Pie chart of bikers split across the days of the week",
     lambda o: (o.c.mark, o.field("color"), o.field("y")) == ("arc", "dow", "bikers")),
    # "ridership" is the number of riders (the one count of people); a change over the day is a line of its hours
    ("rentals", "How does ridership change over the course of the day?",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("line", "hr", "bikers")),
    # numbered states are codes: the trend runs over the years, summed across them, not along state 1..6
    ("roads", "How have total traffic deaths across the states changed since 1990?",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate, o.c.color) == ("line", "year", "totfat",
                                                                                        "sum", None)
     and o.rows["year"].min() == 1990),
    ("roads", "Which 3 states have the highest average fatality rate?",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate, o.c.limit) == ("bar", "state", "totfatrte",
                                                                                       "mean", 3)),
    ("roads", "night deaths vs vehicle miles",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"nghtfat", "vehicmiles"}),
    # a count of things that happen (WordNet: an act or an event) adds up; a count of parts is averaged
    ("crimes", "murders per year",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("year", "murders", "sum")),
    ("crimes", "arrests by county",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("county", "arrests", "sum")),
    ("crimes", "bedrooms by county",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("county", "bedrooms", "mean")),
    # a code said after its column's name ("state fips 17", "county 112") is a value of that column; the
    # codes are no measure, and murders with gaps still add up
    ("county_years", "murders by year for state fips 17",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("year", "murders", "sum")
     and set(o.rows["statefips"]) == {17} and o.kept == 6),
    ("county_years", "unemp over time in county 112",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("line", "year", "unemp") and set(o.rows["county"]) == {112}),
    # near miss: a measure's number is a comparison, not a code ("unemp 5" is no filter on its own)
    ("county_years", "murders by region in 1992",
     lambda o: (o.field("x"), o.field("y")) == ("region", "murders") and set(o.rows["year"]) == {1992}),
    # "the most executions between 1991 and 1993": executions run 0..3 (they look like a code) but are added
    # up, and the numbers are years, not executions
    ("county_years", "Which 5 states carried out the most executions between 1991 and 1993?",
     lambda o: (o.field("x"), o.field("y"), o.c.limit) == ("statefips", "execs", 5)
     and set(o.rows["year"]) == {1991, 1992, 1993}),
    # near miss: a number column named right before a range of its own values is that column's range
    ("county_years", "states with unemp between 5 and 8",
     lambda o: o.kept > 0 and o.rows["unemp"].between(5, 8).all() and len(set(o.rows["year"])) == 6),
    # "by county" in a scatter of 30 counties: what each dot is, not 30 colours
    ("county_years", "murders vs unemp by county, 1992 only",
     lambda o: o.c.mark == "point" and o.c.color is None and set(o.rows["year"]) == {1992}),
    # "share of the total" asks for shares; "in total across all years" sums over the years, no year colours
    ("county_years", "each region's share of the total murders",
     lambda o: (o.c.mark, o.field("color"), o.field("y"), o.c.y.aggregate) == ("arc", "region", "murders", "sum")),
    ("county_years", "Which 5 states had the most murders in total across all years?",
     lambda o: (o.field("x"), o.field("y"), o.c.color, o.c.limit) == ("statefips", "murders", None, 5)),
    # a category of 30 values said as the subject ("Teams that won …") is no colour of the bars
    ("team_seasons", "Teams that won 20 or more games: count them by conference",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.color) == ("conference", "count", None)),
    # "in total across all years": summed over the years, not coloured by them
    ("team_seasons", "top 5 teams by wins in total across all years",
     lambda o: (o.field("x"), o.field("y"), o.c.color, o.c.limit) == ("team", "wins", None, 5)),
    # near miss: "by" a many-valued category is still its axis
    ("team_seasons", "total wins by team",
     lambda o: (o.field("x"), o.field("y")) == ("team", "wins")),
    # a two-valued column set against its complement ("married vs unmarried", "democracies and
    # non-democracies") splits the chart by it; "and" with another word is no complement
    ("flag_pairs", "wage vs exper curve for married vs unmarried workers",
     lambda o: (o.c.mark, o.field("color"), o.kept) == ("point", "married", 40)),
    ("flag_pairs", "the spread of duration for democracies and non-democracies",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "democracy", "duration")),
    ("flag_pairs", "wage vs exper for married and older workers",
     lambda o: o.c.mark == "point" and o.c.color is None),
    # "one line for men and another for women": a line per sex; "vary between breeds": a box per breed
    ("lines_for", "Average chol by age, one line for men and another for women.",
     lambda o: (o.c.mark, o.field("x"), o.field("color"), o.kept) == ("line", "age", "sex", 120)),
    ("lines_for", "How much does butterfat vary between breeds?",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "breed", "butterfat")),
    # near miss: "between" a plural and numbers is a range of that column
    ("lines_for", "average butterfat between ages 40 and 49 by breed",
     lambda o: (o.field("x"), o.field("y")) == ("breed", "butterfat") and o.rows["age"].between(40, 49).all()),
    # near miss: "between" two numbers is a range
    ("lines_for", "average butterfat by breed for ages between 40 and 49",
     lambda o: (o.field("x"), o.field("y")) == ("breed", "butterfat") and o.rows["age"].between(40, 49).all()
     and o.kept == 30),
    # a filter written as an equation, with = or != and a value of the column
    ("county_years", "average unemp by year (region = West)",
     lambda o: (o.field("x"), o.field("y"), o.c.color) == ("year", "unemp", None) and set(o.rows["region"]) == {"West"}),
    ("county_years", "average unemp by year, region != West",
     lambda o: (o.field("x"), o.field("y"), o.c.color) == ("year", "unemp", None)
     and set(o.rows["region"]) == {"North", "South"}),
    # a flag set against the rest is both its groups, not a filter; the colon ends "salary" (no "salary financial")
    ("salaries", "Average salary: financial firms vs the rest",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("finance", "salary", "mean") and o.kept == 40),
    ("salaries", "mean sales, finance companies compared with others",
     lambda o: (o.field("x"), o.field("y")) == ("finance", "sales") and o.kept == 40),
    # near miss: the flag as an adjective alone keeps its 1s
    ("salaries", "average sales of financial firms",
     lambda o: o.field("y") == "sales" and o.kept == 10),
    # "distribution of salaries" on a table of salaries: the salary column, measured (not rows counted)
    ("salaries", "distribution of salaries",
     lambda o: o.field("x") == "salary" and bool(o.c.x.bin)),
    # "years of schooling": a number of years of a measure (educ), not the calendar's years of the dates
    ("answers", "By years of schooling, which group has the highest score on average?",
     lambda o: (o.field("x"), o.field("y"), o.c.x.time_unit) == ("educ", "score", None)),
    # near miss: "by year" alone is the calendar's
    ("answers", "average score by year",
     lambda o: (o.field("x"), o.c.x.time_unit) == ("date", "year")),
    # values several columns hold belong to the column named next to them
    ("answers", "average score for high vs low fright",
     lambda o: (o.field("x"), o.field("y")) == ("fright", "score") and set(o.rows["fright"]) == {"Low", "High"}),
    ("answers", "average score by educ, disgust: high",
     lambda o: set(o.rows["disgust"]) == {"High"} and len(set(o.rows["fright"])) == 2),
    # "top N things by <a measure>": the measure they are ranked by, not a second grouping
    ("shops", "top 2 regions by units",
     lambda o: (o.field("x"), o.field("y")) == ("region", "units") and o.c.limit == 2),
    ("city_homes", "top 2 cities by median sale price in 2015",
     lambda o: (o.field("x"), o.field("y"), o.c.limit) == ("city", "median", 2) and set(o.rows["year"]) == {2015}),
    ("shops", "the 2 best channels by price in 2015",
     lambda o: (o.field("x"), o.field("y")) == ("channel", "price") and o.c.limit == 2),
    # near miss: without a top-N, a number column after "by" is still the axis ("revenue by units")
    ("shops", "mean revenue of the regions by units",
     lambda o: o.field("x") == "units"),
    # "coloured by the finance flag": a colour per value of the flag, no filter to its 1s
    ("salaries", "scatter of salary vs sales, coloured by the finance flag",
     lambda o: o.c.mark == "point" and o.field("color") == "finance" and o.kept == 40),
    # "the total number of marriages" on a table whose Marriages column holds them: that column, added up
    ("wedding_years", "total number of marriages each year",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("Year", "Marriages", "sum")),
    # near miss: "the total number of years" names no count column: rows counted
    ("wedding_years", "total number of years with more than 1600000 marriages",
     lambda o: o.c.y.aggregate == "count" and o.kept == 19),
    # "the most heads of government": the rows that name them counted per country, not a measure
    ("regime_spells", "Which 2 countries went through the most heads of government?",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.limit) == ("country", "count", 2)),
    # a word for a kind of thing followed by examples of a column's values groups by that column
    ("elements",
     "Which kind of element (alkali metal, halogen, noble gas...) has the highest melting point on average?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.color) == ("metal", "melting point", "mean", None)),
    # … and "number of" is no "atomic number", "sorted from most to fewest" names no column
    ("elements", "Number of elements per category (transition metals, halogens etc.), sorted from most to fewest",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.color, o.c.sort) == ("metal", "count", None, "descending")),
    # near miss: with no examples, "category" is the column its name says
    ("elements", "average melting point by group",
     lambda o: o.field("x") == "group"),
    # a share "each year" over 42 years is the line of that percentage, not a pie of years
    ("degree_years", "Foreign languages: percentage of female graduates each year",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("line", "Year", "Foreign Languages")),
    # any comparative compares: "stronger than 13% alcohol" (gt), "95°F or hotter" (gte), "cheaper than" (lt);
    # "wines" names the rows of wine_cultivars.csv, not od280/od315_of_diluted_wines
    ("wine_cultivars", "For wines stronger than 13% alcohol, how many come from each cultivar?",
     lambda o: (o.field("x"), o.c.y.aggregate) == ("target", "count") and o.kept == 19
     and (o.rows["alcohol"] > 13).all()),
    ("lincoln_days", "Which days in 2016 hit 95°F or hotter?",
     lambda o: o.kept > 0 and (o.rows["TMAX"] >= 95).all() and o.kept == (o.rows["TMAX"] >= 95).sum()
     and o.kept == 45),
    ("shops", "revenue by region where the price is cheaper than 20",
     lambda o: o.field("x") == "region" and o.kept > 0 and (o.rows["price"] < 20).all()),
    # near miss: "other than" compares nothing
    ("shops", "revenue by region other than 2015",
     lambda o: o.field("x") == "region" and not any(f.op in ("gt", "lt") for f in o.r.filters)),
    # "per thousand" is the name's "per_1000"
    ("wedding_years", "Trend of divorces per thousand people from 1955 to 1965",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.kept) == ("line", "Year", "Divorces_per_1000", 11)),
    # "shrink as the atomic number goes up": one number against another, a scatter (atomic number is no measure)
    ("elements", "Does the melting point shrink as the atomic number goes up?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"atomic number", "melting point"}),
    # near miss: "as" of a comparison, no change said, stays bars
    ("elements", "average melting point by metal, as a bar chart",
     lambda o: (o.c.mark, o.field("x")) == ("bar", "metal")),
    # a measure with no grouping among a few rows a value keeps: one bar per row, named by its name column
    ("elements", "Among the halogens, compare their melting points.",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.kept) == ("bar", "name", "melting point", 6)),
    # near miss: an average asked of them is no per-row chart
    ("elements", "average melting point of the halogens",
     lambda o: o.field("x") != "name" and o.kept == 6),
    # the sign of a number that has both: "negative production", "when production fell", "… was positive"
    ("macro_quarters", "histogram of consumption for negative production",
     lambda o: o.kept == 12 and (o.rows["Production"] < 0).all()),
    ("macro_quarters", "average consumption in the quarters when production fell",
     lambda o: o.kept == 12 and (o.rows["Production"] < 0).all()),
    ("macro_quarters", "consumption by quarter where production was positive",
     lambda o: o.kept == 28 and (o.rows["Production"] > 0).all()),
    # near miss: a fall told, not asked as a condition, keeps every row
    ("macro_quarters", "how production fell and rose over the quarters",
     lambda o: o.kept == 40),
    # a breakdown of a coded number (a few whole values): the share of each code, counted, not their sum
    ("hiv_tests", "Breakdown of the 2004 HIV test outcomes",
     lambda o: (o.c.mark, o.field("color"), o.c.y.aggregate, o.c.y.field) == ("arc", "hiv2004", "count", None)),
    # near miss: a measure of many values is summed per group as before
    ("hiv_tests", "share of age by hiv2004",
     lambda o: (o.c.mark, o.field("color"), o.c.y.field) == ("arc", "hiv2004", "age")),
    # a superlative of a quantity within each group is that group's max, or min for a low pole
    ("lincoln_days", "Line chart of the coldest low recorded each month in 2016",
     lambda o: (o.c.mark, o.field("y"), o.c.y.aggregate) == ("line", "TMIN", "min")),
    ("lincoln_days", "the hottest TMAX of each month",
     lambda o: (o.field("y"), o.c.y.aggregate) == ("TMAX", "max")),
    # near miss: an average said wins over the superlative
    ("lincoln_days", "which month had the hottest TMAX on average?",
     lambda o: o.c.y.aggregate == "mean"),
    # "each month" is the unit; "across the year" only the stretch it runs over
    ("lincoln_days", "How did the hottest TMAX of each month change across the year?",
     lambda o: (o.c.mark, o.c.x.time_unit, o.c.y.aggregate) == ("line", "month", "max")),
    # near miss: "across the years" alone is still the unit
    ("bookings", "bookings across the years",
     lambda o: o.c.x.time_unit == "year"),
    # a column of counts the question names by an event noun ("executions" for execs) adds up per period
    ("county_execs", "Executions per year - line chart",
     lambda o: (o.c.mark, o.field("y"), o.c.y.aggregate) == ("line", "execs", "sum")),
    # near miss: a rate named by its own name is averaged
    ("county_execs", "execrate per year - line chart",
     lambda o: (o.field("y"), o.c.y.aggregate) == ("execrate", "mean")),
    # two quantities back to back are one noun phrase, its head the second: "population density" is density
    ("county_density", "How is population density distributed across counties?",
     lambda o: (o.field("x"), bool(o.c.x.bin)) == ("density", True)),
    # near miss: a comma parts them ("murders vs popul, density …" are two things)
    ("county_density", "murders vs popul, density as colour",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"murders", "popul"}),
    # a number that ends the question with a comma, "?" or "%" after it: the filter still reads (this crashed)
    ("shops", "revenue by region with units above 30,",
     lambda o: o.field("x") == "region" and (o.rows["units"] > 30).all() and o.kept == 30),
    ("shops", "revenue by region where units are over 30?",
     lambda o: o.field("x") == "region" and (o.rows["units"] > 30).all() and o.kept == 30),
    # a phrase that spells a glued name whole ("murder rate" → murdrate) is not split into "murder" and a
    # percentage column that "rate" is a synonym of
    ("county_murders", "murder rate by year",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("year", "murdrate", "mean")),
    # near miss: the count itself
    ("county_murders", "murders by year",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("year", "murders", "sum")),
    # a number compared goes to a column whose values reach it; a number of people is the population
    ("county_murders", "Murder rate distribution for counties with more than 100,000 people",
     lambda o: o.field("x") == "murdrate" and o.kept == _expected("county_murders", lambda f: f["popul"] > 100000)
     and o.kept < o.total),
    ("county_murders", "average murder rate where perc1019 is over 15",
     lambda o: o.kept == _expected("county_murders", lambda f: f["perc1019"] > 15)),
    # "20%" compares a percentage column, not the year said before it
    ("county_murders", "Total murders per year, only counting counties where over 20% of residents are black",
     lambda o: (o.field("x"), o.field("y")) == ("year", "murders")
     and o.kept == _expected("county_murders", lambda f: f["percblack"] > 20)),
    # "people under 21" compares the age; "with and without financial aid" splits by the flag, keeps both
    ("released", "For people under 21, what's the arrest rate with and without financial aid?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("fin", "arrest", "mean")
     and o.kept == _expected("released", lambda f: f["age"] < 21)),
    ("released", "Re-arrest rate with vs without financial aid",
     lambda o: o.field("x") == "fin" and o.kept == o.total),
    # near miss: the aid as an adjective alone keeps its 1s
    ("released", "arrest rate of people with financial aid by age",
     lambda o: o.kept == _expected("released", lambda f: f["fin"] == 1)),
    # both sides of a flag said ("industrial … non-industrial") are compared, not kept to one
    ("ceo_firms", "avg sales of industrial firms compared with non-industrial ones",
     lambda o: (o.field("x"), o.field("y")) == ("indus", "sales") and o.kept == o.total),
    # near miss: one side said keeps it
    ("ceo_firms", "avg sales of non-industrial firms",
     lambda o: o.kept == _expected("ceo_firms", lambda f: f["indus"] == 0)),
    # "top" before an amount with decimals or a scale is a verb (exceed), not a top-N
    ("wedding_years", "In which years after 1960 did the number of marriages top 1.6 million?",
     lambda o: o.c.limit is None
     and o.kept == _expected("wedding_years", lambda f: (f["Year"] > 1960) & (f["Marriages"] > 1600000))),
    # near miss: a top-N as before
    ("wedding_years", "top 5 years by marriages",
     lambda o: (o.field("x"), o.c.limit) == ("Year", 5)),
    # people counted in a relationship are the column that counts them
    ("bike_hours", "Does temperature affect how many people rent bikes? Scatter plot please.",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.size) == ("point", "temp", "bikers", None)),
    # a name that puts its head first (p + entree, p + soda) said modifier first
    ("fast_food", "Spread of entree prices for each chain",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "chain", "pentree")),
    ("fast_food", "Average soda price by chain",
     lambda o: (o.field("x"), o.field("y")) == ("chain", "psoda")),
    # near miss: a verb after a quantity is no head ("temperature affect" is not a(ffect) + temp)
    ("house_logs", "does temperature affect the price?",
     lambda o: {o.field("x"), o.field("y")} == {"temp", "price"}),
    # lX beside X is X's log: words that spell it mean X, unless "log" is said or lX is named as written
    ("house_logs", "living area vs price, colour by year",
     lambda o: (o.c.mark, {o.field("x"), o.field("y")}) == ("point", {"area", "price"})),
    ("house_logs", "log area vs log price",
     lambda o: {o.field("x"), o.field("y")} == {"larea", "lprice"}),
    ("house_logs", "larea vs price",
     lambda o: {o.field("x"), o.field("y")} == {"larea", "price"}),
    # "per capita" as the initials of a glued name
    ("state_health", "For my class: is income related to infant mortality? "
                     "Scatter per-capita income against the infant mortality rate.",
     lambda o: {o.field("x"), o.field("y")} == {"pcinc", "infmort"}),
    # a small word that is one of a column's few values, as an adjective: "down weeks", "up and down weeks"
    ("weeks_up_down", "Number of up weeks vs down weeks each year",
     lambda o: o.field("x") == "Year" and o.field("color") == "Direction" and o.kept == o.total),
    ("weeks_up_down", "How many down weeks did the market have each year?",
     lambda o: o.field("x") == "Year" and o.kept == _expected("weeks_up_down", lambda f: f["Direction"] == "Down")),
    ("weeks_up_down", "Proportion of up and down weeks in 2001",
     lambda o: (o.c.mark, o.field("color")) == ("arc", "Direction") and o.kept == 52),
    # near miss: "up to" is no value
    ("weeks_up_down", "average volume by year up to 2002",
     lambda o: o.kept == _expected("weeks_up_down", lambda f: f["Year"] <= 2002)),
    # people of one sex said against a 0/1 column named by a sex: the flag's 0s or 1s, or both side by side
    ("household_heads", "Average age of female household heads, by village",
     lambda o: o.field("x") == "village" and o.kept == _expected("household_heads", lambda f: f["male"] == 0)),
    ("births", "Average birth weight of boys vs girls, white families only",
     lambda o: (o.field("x"), o.field("y")) == ("male", "bwght")
     and o.kept == _expected("births", lambda f: f["white"] == 1)),
    ("births", "Birth weight spread for boys - box plot",
     lambda o: o.kept == _expected("births", lambda f: f["male"] == 1)),
    # near miss: no sex said keeps both
    ("household_heads", "Average age of household heads by village", lambda o: o.kept == o.total),
    # two years set against each other are compared side by side (grouped), not a stretch between them
    ("state_health", "Box plot of state poverty rates, 1987 vs 1990",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "year", "povrate") and o.kept == 50),
    # near miss: "between 1987 and 1990" is the stretch; "on average" after a year is no "1990 on"
    ("state_health", "Did infant mortality fall between 1987 and 1990 on average across the states?",
     lambda o: o.kept == 50 and o.field("y") == "infmort"),
    # a capital letter said ("candidate A", "A's") picks the columns that letter ends (expendA, not expendB)
    ("races", "Top 3 states by total campaign spending of candidate A",
     lambda o: (o.field("x"), o.field("y"), o.c.limit) == ("state", "expendA", 3)),
    ("races", "Does spending more win more votes? Plot A's expenditures against A's vote percentage.",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"expendA", "voteA"}),
    # near miss: the other letter
    ("races", "average spending of candidate B by state", lambda o: o.field("y") == "expendB"),
    # a sum in dollars compares the table's one price when no column named can hold it
    ("house_logs", "Count the houses that sold for more than $150,000 in each year",
     lambda o: o.kept == _expected("house_logs", lambda f: f["price"] > 150000) and 0 < o.kept < o.total),
    # near miss: a column named keeps it
    ("house_logs", "Count the houses with an area over 2,000 in each year",
     lambda o: o.kept == _expected("house_logs", lambda f: f["area"] > 2000)),
    # a sum in dollars no column holds as said is read in the thousands or millions a money column is kept in
    ("homes_k", "For homes under $300k, what's the avg lot size by number of bedrooms?",
     lambda o: (o.field("x"), o.field("y")) == ("bdrms", "lotsize")
     and o.kept == _expected("homes_k", lambda f: f["price"] < 300)),
    ("ceo_firms", "For firms with sales above $3 billion, salary vs sales",
     lambda o: o.kept == _expected("ceo_firms", lambda f: f["sales"] > 3000) and 0 < o.kept < o.total),
    # a bracket right after a loose match says it in a column's words: "house size (sq ft)" is sqrft
    ("homes_k", "average house size (sq ft) for each bedroom count",
     lambda o: (o.field("x"), o.field("y")) == ("bdrms", "sqrft")),
    # near miss: no bracket, the lot size
    ("homes_k", "average lot size for each bedroom count", lambda o: o.field("y") == "lotsize"),
    # the plural right after a top-N, followed by what ranks it, is the things ranked (a number as groups)
    ("heart_checks", "top 3 ages with the highest average cholesterol",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.limit) == ("age", "chol", "mean", 3)),
    # near miss: the rows' own values ranked when nothing follows
    ("heart_checks", "average cholesterol by age, top 3",
     lambda o: (o.field("x"), o.field("y"), o.c.limit) == ("age", "chol", 3)),
    # "avg reading": a reading is a row; its average is the quantity the file is named after
    ("glucose_log", "which month had the lowest avg reading?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("datetime", "glucose", "mean")),
    # near miss: a column named is measured
    ("glucose_log", "which month had the lowest avg isig?", lambda o: o.field("y") == "isig"),
    # makers are manufacturers (vocabulary.yaml)
    ("fleet_register", "bottom 2 makers by average seats per plane",
     lambda o: (o.field("x"), o.field("y"), o.c.limit) == ("manufacturer", "seats", 2)),
    # "employees per store for each chain": the store is the unit of the average (a row), the chain the group;
    # "store" only matched nstores (the number of stores), which no one groups by here
    ("store_staff", "Mean number of employees per store for each chain, sorted",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.field("color")) == ("chain", "emp", "mean", None)),
    # near miss: the number of stores said with "by" groups
    ("store_staff", "mean employees by nstores",
     lambda o: (o.field("x"), o.field("y")) == ("nstores", "emp")),
    # "vary" with an average asked is the average per group, not its spread
    ("rentals", "How do bikers vary by hour? Show the average.",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("hr", "bikers", "mean") and o.c.mark != "boxplot"),
    # near miss: no average said, the spread per hour
    ("rentals", "How do bikers vary by hour?", lambda o: o.c.mark == "boxplot"),
    # a superlative whose attribute is a column's noun, at that name's pole: "coldest" → TMIN (minimum temperature)
    ("lincoln_days", "Top 5 coldest nights of 2016",
     lambda o: (o.field("y"), o.c.limit, o.c.sort) == ("TMIN", 5, "ascending") and o.field("x") == "DATE"),
    # near miss: before a word naming the column, the superlative says its end (the max), no column of its own
    ("lincoln_days", "How did the hottest temperature of each month change across the year?",
     lambda o: (o.c.mark, o.c.y.aggregate) == ("line", "max")),
    # a grouping said with "at each" that matches no column ("depot") is said in the notes, like "by …"
    ("shipments", "How spread out is revenue at each depot? Box plot please.",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("boxplot", "region", "revenue")
     and any("depot" in n for n in o.r.notes)),
    # a word said twice around "by" is a pace, not a grouping by what follows: the revenue of each week
    ("shops", "Week-by-week revenue in the North",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.field("color")) == ("line", "date", "revenue", None)),
    # near miss: "by" before another word groups by it
    ("shops", "Weekly revenue by channel", lambda o: o.grouped_by("channel") and o.field("y") == "revenue"),
    # "mothers" beside motheduc/fatheduc: the parents have columns of their own; the sex flag is the baby's
    ("births_parents", "For mothers with 12 or more years of schooling, how are birth weights distributed?",
     lambda o: o.field("x") == "bwght" and o.kept == _expected("births_parents", lambda f: f["motheduc"] >= 12)),
    # near miss: a child's sex said keeps the flag's rows
    ("births_parents", "How are birth weights of girls distributed?",
     lambda o: o.field("x") == "bwght" and o.kept == _expected("births_parents", lambda f: f["male"] == 0)),
    # a list in brackets after the groups' noun names the groups as the writer knows them: one an unknown value
    # ("East Midlands"), so none is left out, and the column is the axis
    ("parcels", "Average shipping cost for each warehouse (Leeds, Bristol, East Midlands)",
     lambda o: o.field("x") == "warehouse" and o.kept == o.total),
    # near miss: every value in the list is the column's: those are kept
    ("parcels", "Average shipping cost for the warehouses in Leeds and Bristol",
     lambda o: o.field("x") == "warehouse" and o.kept == 32),
    # the bracket lists the kinds of the column just named, not the flags their words spell loosely
    ("road_laws", "Which kind of seat belt law (none, primary, secondary) has the highest average fatality rate?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.field("color")) == ("seatbelt", "fatrate", "mean", None)
     and o.kept == o.total),
    # near miss: the flag named by itself filters
    ("road_laws", "Average fatality rate by year in states with a secondary law",
     lambda o: o.field("x") == "year" and o.kept == _expected("road_laws", lambda f: f["sbsecon"] == 1)),
    # whole numbers 2000 .. 2019 under "TIME" are years: the time axis of a trend, and "since 2010" filters them
    ("tourism_stats", "How have arrivals changed over time in each country since 2010?",
     lambda o: (o.c.mark, o.field("x"), o.field("color")) == ("line", "TIME", "COUNTRY")
     and o.kept == _expected("tourism_stats", lambda f: f["TIME"] >= 2010)),
    # near miss: seconds under "TIME", scattered over 1,000 .. 2,150, are measured, not a time axis
    ("race_results", "average TIME per club", lambda o: (o.field("x"), o.field("y")) == ("club", "TIME")),
    # a fraction said in words compares a share: 50 on percentages (Biology is 30 .. 58.7), 0.5 on fractions
    ("degree_years", "Show the years when women earned more than half of all biology degrees",
     lambda o: o.field("x") == "Year" and o.kept == _expected("degree_years", lambda f: f["Biology"] > 50)),
    ("pass_shares", "Which schools had years where under a third of the class passed?",
     lambda o: o.kept == _expected("pass_shares", lambda f: f["passed_share"] < 1 / 3)),
    # near miss: "half" that compares nothing ("in the first half of the period") filters nothing
    ("degree_years", "Biology degrees in the first half of the period", lambda o: o.kept == o.total),
    # "methane" is the output of methane_output.csv: the measure, not a count of rows
    ("methane_output", "methane by farm in 2020",
     lambda o: (o.field("x"), o.field("y")) == ("farm", "output") and o.kept == 3),
    # near miss: the column's own word
    ("methane_output", "output by farm in 2020", lambda o: (o.field("x"), o.field("y")) == ("farm", "output")),
    # a move beyond a percent is on the return column, signed, in its own scale (fractions: -0.02)
    ("fund_daily", "How many days per month did the fund drop more than 2%?",
     lambda o: o.c.y.aggregate == "count" and o.kept == _expected("fund_daily", lambda f: f["fund_return"] < -0.02)),
    ("fund_daily", "volume on days it gained over 3%",
     lambda o: o.kept == _expected("fund_daily", lambda f: f["fund_return"] > 0.03)),
    # near miss: a fall said with no percent filters nothing
    ("fund_daily", "How did volume fall over the months?", lambda o: o.kept == o.total),
    # "below freezing": under 32 on a temperature in Fahrenheit (values past 50), under 0 on one in Celsius
    ("lincoln_days", "How many days per month had a low below freezing?",
     lambda o: o.c.y.aggregate == "count" and o.kept == _expected("lincoln_days", lambda f: f["TMIN"] < 32)),
    ("city_temps", "How many days below freezing did Oslo have each month?",
     lambda o: o.kept == _expected("city_temps", lambda f: (f["mean_temp_c"] < 0) & (f["city"] == "Oslo"))),
    # near miss: a number said is compared as said
    ("city_temps", "How many days below 5 degrees did Oslo have each month?",
     lambda o: o.kept == _expected("city_temps", lambda f: (f["mean_temp_c"] < 5) & (f["city"] == "Oslo"))),
    # "population" is the value of city_population.csv; "of all the cities" combined is no grouping by city
    ("city_population", "Combined population of all the cities from 2005 through 2015",
     lambda o: (o.c.mark, o.field("x"), o.field("y"), o.c.y.aggregate, o.field("color")) == ("line", "year", "value",
                                                                                             "sum", None)
     and o.kept == _expected("city_population", lambda f: f["year"].between(2005, 2015))),
    # near miss: the cities said with "by" are grouped
    ("city_population", "population by city in 2010",
     lambda o: (o.field("x"), o.field("y")) == ("city", "value") and o.kept == 6),
    # a year said alone before a quantity's name is the year of the rows ("the combined 2010 population")
    ("city_population", "share of each city in the combined 2010 population",
     lambda o: o.field("color") == "city" and o.kept == 6),
    ("shops", "total 2016 revenue by region",
     lambda o: o.field("x") == "region" and o.kept == o.rows["date"].dt.year.eq(2016).sum() == 37),
    # near miss: a comparison keeps the number for the quantity ("revenue over 1000")
    ("shops", "weeks with revenue over 1000 by region",
     lambda o: o.kept == _expected("shops", lambda f: f["revenue"] > 1000)),
    # a list of years on a column of years keeps those years, each of them, not the stretch between
    ("degree_years", "Biology degrees in 1980, 1990 and 2000", lambda o: o.kept == 3),
    ("degree_years", "average share of biology degrees in 1980 and 2000", lambda o: o.kept == 2),
    # near miss: a stretch said as one keeps the stretch
    ("degree_years", "Biology degrees from 1980 to 2000", lambda o: o.kept == 21),
    # "lowest", "higher": words of size that order or compare the measure named, not the Low or High column
    ("quotes", "the 10 days with the lowest close",
     lambda o: (o.field("y"), o.c.sort, o.c.limit) == ("Close", "ascending", 10)),
    ("quotes", "Which 3 months had the highest average volume?",
     lambda o: (o.field("y"), o.c.y.aggregate, o.c.limit) == ("Volume", "mean", 3)),
    ("quotes", "is volume higher when the close is higher?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"Volume", "Close"}),
    # two quantities "over time": a line (not a scatter of one against the other), and the one it leaves out is said
    ("quotes", "daily highs and lows over time",
     lambda o: o.c.mark == "line" and o.field("x") == "Date" and o.field("y") in ("High", "Low")
     and any("named in the question but not shown" in n and ({"High", "Low"} - {o.field("y")}).pop() in n
             for n in o.r.notes)),
    ("quotes", "monthly average high and low",
     lambda o: (o.c.mark, o.field("x"), o.c.x.time_unit) == ("line", "Date", "month")),
    # near miss: "vs" sets them against each other: a scatter, nothing left out
    ("quotes", "highs vs lows", lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"High", "Low"}
     and not any("not shown" in n for n in o.r.notes)),
    # near miss: the word itself names its column
    ("quotes", "average high by month", lambda o: (o.field("y"), o.c.y.aggregate) == ("High", "mean")),
    # "how many silvers" over a column ``silver`` of whole counts: its units added up, not rows counted
    ("medal_table", "For countries with more than 6 golds, how many silvers did they get?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("country", "silver", "sum")
     and o.kept == _expected("medal_table", lambda f: f["gold"] > 6)),
    # near miss: the rows themselves counted
    ("medal_table", "how many countries are there in each region?",
     lambda o: (o.field("x"), o.c.y.aggregate) == ("region", "count")),
    # "minutes played": the participle says how the minutes were counted, it names no games column
    ("players", "minutes played vs points, colour by all-star",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"minutes", "points"}
     and o.field("color") == "allstar"),
    # near miss: "games played" is the games
    ("players", "points against games played",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"games", "points"}),
    # near miss: "wards won by each party" — the participle is the winner's, after a category: both kept
    ("council_wards", "how many wards were won by each party?",
     lambda o: (o.field("x"), o.c.y.aggregate) == ("winner", "count")),
    # a relationship with "the number of riders" on a table of hourly counts: the riders column (said so), a scatter
    ("bike_hours", "Is there any link between humidity and the number of riders?",
     lambda o: o.c.mark == "point" and {o.field("x"), o.field("y")} == {"hum", "bikers"}
     and any("'bikers', which the question does not name" in n for n in o.r.notes)),
    # an adjective in -y made from a value ("rainy" → rain, "foggy" → fog) keeps those days, before the column the
    # noun's synonym names loosely (precipitation)
    ("town_days", "how many rainy days per month",
     lambda o: o.c.y.aggregate == "count" and o.kept == _expected("town_days", lambda f: f["weather"] == "rain")),
    ("town_days", "foggy days each month",
     lambda o: o.c.y.aggregate == "count" and o.kept == _expected("town_days", lambda f: f["weather"] == "fog")),
    # "which month had the most rain": each month's total of an amount that adds up; "the wettest day" its max
    ("town_days", "which month had the most rain?",
     lambda o: (o.field("y"), o.c.y.aggregate, o.c.sort) == ("precipitation", "sum", "descending")),
    # generation (in GWh) adds up: "which country generates the most wind power" ranks the countries' totals
    ("power_mix", "which country generates the most wind power?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.sort) == ("country", "generation_gwh", "sum",
                                                                            "descending")
     and o.kept == _expected("power_mix", lambda f: f["source"] == "wind")),
    # a trend of a value on a long table names no quantity: one row a year would count 1s; the main quantity, said
    ("power_mix", "how has wind changed in Kenya?",
     lambda o: (o.c.mark, o.field("x"), o.field("y")) == ("line", "year", "generation_gwh")
     and any("no quantity named" in n for n in o.r.notes)),
    # near miss: things said in the plural that no column names are the rows, counted
    ("power_mix", "wind records per year in Kenya", lambda o: o.c.y.aggregate == "count" and o.field("y") is None),
    # near miss: a share of the mix does not add up across rows
    ("power_mix", "average wind share by country",
     lambda o: (o.field("y"), o.c.y.aggregate) == ("share_pct", "mean")),
    # near miss: no adjective, no filter
    ("town_days", "how many days per month", lambda o: o.c.y.aggregate == "count" and o.kept == 365),
    # an average is of a number: "average rating" is Viewer_Rating, not the codes of MPAA_Rating
    ("film_ratings", "average rating by genre",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.field("color")) == ("Genre", "Viewer_Rating", "mean", None)),
    # "US" written in capitals starts a column's name as written ("US gross" → US_Gross), not only a value
    ("film_ratings", "total US gross by genre",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("Genre", "US_Gross", "sum")),
    # "the most <adjective>" that no column measures is said (never another quantity in silence); "the most popular"
    # counts the rows
    ("film_ratings", "which genre is the most profitable?",
     lambda o: "profitable" in o.r.unmatched and o.c.y.aggregate == "count" and o.field("y") is None),
    ("film_ratings", "which genre is the most popular?",
     lambda o: (o.field("x"), o.c.y.aggregate, o.c.sort) == ("Genre", "count", "descending") and not o.r.unmatched),
    # near miss: a quantity named
    ("film_ratings", "which genre has the highest viewer rating?",
     lambda o: (o.field("x"), o.field("y")) == ("Genre", "Viewer_Rating") and not o.r.unmatched),
    # a length of time said with no column named compares the table's one duration, in its own unit
    ("film_ratings", "films longer than 2 hours by genre",
     lambda o: (o.field("x"), o.c.y.aggregate) == ("Genre", "count")
     and o.kept == _expected("film_ratings", lambda f: f["Running_Time_min"] > 120)),
    # near miss: "… years ago" is a time, not a length
    ("film_ratings", "films released more than 20 years ago",
     lambda o: not any(f.column == "Running_Time_min" for f in o.r.filters)),
    # "ranked by <a quantity>": largest first; "sorted by <a category>" keeps the categories' own order
    ("film_ratings", "genres ranked by viewer rating",
     lambda o: (o.field("x"), o.field("y"), o.c.sort) == ("Genre", "Viewer_Rating", "descending")),
    ("film_ratings", "US gross sorted by genre", lambda o: (o.field("x"), o.c.sort) == ("Genre", None)),
    # near miss: counted by the codes
    ("film_ratings", "how many films per MPAA rating",
     lambda o: (o.field("x"), o.c.y.aggregate) == ("MPAA_Rating", "count")),
    # the share of the rows' kinds, never a pie of their ids; "per year" with a date is the calendar's year, not
    # the years of experience (an amount)
    ("team_staff", "what percentage of staff work remotely?",
     lambda o: (o.c.mark, o.field("color"), o.c.y.aggregate) == ("arc", "remote", "count")),
    ("team_staff", "hires per year",
     lambda o: (o.field("x"), o.c.x.time_unit, o.c.y.aggregate, o.field("color")) == ("hire_date", "year", "count", None)),
    # near miss: the years of experience named as a quantity
    ("team_staff", "average years of experience by department",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("department", "years_experience", "mean")),
    # "per segment": the name holding the word itself (customer_segment), before a synonym's (category)
    ("order_lines", "average quantity per segment",
     lambda o: (o.field("x"), o.field("y")) == ("customer_segment", "quantity")),
    # near miss: the synonym's column named as written
    ("order_lines", "average quantity per category", lambda o: (o.field("x"), o.field("y")) == ("category", "quantity")),
    # "best selling category": a column's whole name is never absorbed into the quantity beside it
    ("order_lines", "best selling category in the West",
     lambda o: (o.field("x"), o.field("y")) == ("category", "sales")
     and o.kept == _expected("order_lines", lambda f: f["region"] == "West")),
    # an order said in words ("highest first", "sorted") sorts; it filters no value ("First") and names no column
    # ("sort" ~ category); "quantity sold": the participle names no second quantity
    ("ship_lines", "profit for each region, highest first",
     lambda o: (o.field("x"), o.c.sort) == ("region", "descending") and o.kept == 48),
    ("ship_lines", "show quantity sold per sub-category sorted",
     lambda o: (o.field("x"), o.field("y"), o.field("color"), o.c.sort) == ("sub_category", "quantity", None, "descending")
     and not any("not shown" in n for n in o.r.notes)),
    # near miss: the value said as one
    ("ship_lines", "profit by region for First class shipments",
     lambda o: o.kept == _expected("ship_lines", lambda f: f["ship_mode"] == "First")),
    # the noun of an aggregate past a period adjective that names no column is said, never swapped for one
    ("shops", "average weekly rainfall by region",
     lambda o: "rainfall" in o.r.unmatched and o.field("y") is None and o.c.y.aggregate == "count"
     and any("'rainfall' matched no column" in n for n in o.r.notes)),
    # near miss: the noun names a column
    ("shops", "average weekly revenue by region",
     lambda o: (o.field("y"), o.c.y.aggregate) == ("revenue", "mean") and not o.r.unmatched),
    # "by decade": no chart groups by one; the years of the date, and the note says so (never another column)
    ("bookings", "average bookings by decade",
     lambda o: (o.field("x"), o.c.x.time_unit) == ("date", "year") and any("'decade'" in n for n in o.r.notes)),
    # "which months had … above …": those months, each in its year; "which month has the highest …": a month of
    # the year, over all years
    ("bookings", "Which months had bookings above 450?",
     lambda o: (o.field("x"), o.c.x.time_unit) == ("date", "month")
     and o.kept == _expected("bookings", lambda f: f["bookings"] > 450)),
    ("bookings", "which month has the most bookings on average?",
     lambda o: (o.field("x"), o.c.x.time_unit) == ("date", "month_of_year")),
    # seasons written "2009-10" are labels in order, the time line of "per season"; a weekday is the date's
    ("fixtures", "average home goals per season",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate) == ("Season", "home_goals", "mean")),
    ("fixtures", "number of matches by day of the week",
     lambda o: (o.field("x"), o.c.x.time_unit, o.c.y.aggregate) == ("Date", "weekday", "count")),
    ("fixtures", "home goals by month of the year",
     lambda o: (o.field("x"), o.c.x.time_unit) == ("Date", "month_of_year")),
    # "which of the three depots": three groups said (the warehouse's three values), one asked for; no top 3 rows
    ("parcels", "Which of the three depots has the highest shipping cost on average?",
     lambda o: (o.field("x"), o.field("y"), o.c.y.aggregate, o.c.limit)
     == ("warehouse", "shipping_cost", "mean", None)),
    # near miss: "which 3 parcels" ranks the rows
    ("parcels", "Which 3 parcels had the highest shipping cost?",
     lambda o: (o.field("x"), o.c.limit) == ("parcel_id", 3)),
    # a relationship of two things, one of which no column names: the report says so and which column stands in,
    # and the manifest lists the words (understanding.unmatched)
    ("farm_survey", "Plot household size against the rice area",
     lambda o: any("'household'" in n and "matched no column" in n and "in its place" in n for n in o.r.notes)
     and "household" in o.r.unmatched),
    # near miss: both named, nothing to say
    ("farm_survey", "Plot agpop against the rice area",
     lambda o: o.c.mark == "point" and not o.r.unmatched and not any("matched no column" in n for n in o.r.notes)),
], ids=_ids)
def test_everyday_phrasings(write_csv, table, question, check):
    _check(write_csv, table, question, check)


def test_every_table_name_is_used_once():
    """A dict literal keeps the last of two equal keys in silence: a new table named like an old one would
    replace it, and the old table's cases would run on the wrong data."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    tables = next(node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == "TABLES" for t in node.targets))
    names = [k.value for k in tables.keys if isinstance(k, ast.Constant)]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
