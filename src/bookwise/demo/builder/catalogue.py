"""Fixed ingredients of the demo company: geography, industries, product lines, names.

Product adoption differs by industry on purpose, so whitespace analysis (METRICS.md Gap)
finds product lines that most of an industry buys and some of its accounts do not."""

from __future__ import annotations

SEED = 20261
HISTORY_MONTHS = 40  # order history: the current month and the 39 before it (3+ years)
ACCOUNTS_AT_FULL_SCALE = 2000
DEMO_PASSWORD = "bookwise-demo"  # noqa: S105 - a published demo password, never a real secret
ADMIN_USERNAME = "admin"
SALES_OPS_USERNAME = "ops1"  # a login with no book, in the "Sales ops" group
SALES_OPS_NAME = "Olivia Park"
EMAIL_DOMAIN = "demo.bookwise.example"

# region -> territories
GEOGRAPHY: dict[str, list[str]] = {
    "North": ["North Coast", "Highlands"],
    "Central": ["Metro East", "Metro West", "River Valley"],
    "South": ["South Coast", "Bay Area", "Desert Plains"],
}

# sales manager id -> (name, territories of the team)
TEAMS: dict[str, tuple[str, list[str]]] = {
    "SM1": ("Helena Brandt", ["North Coast", "Highlands"]),
    "SM2": ("Marcus Oyelaran", ["Metro East"]),
    "SM3": ("Sofia Lindqvist", ["Metro West", "River Valley"]),
    "SM4": ("Daniel Moreau", ["South Coast", "Bay Area"]),
    "SM5": ("Priya Raman", ["Desert Plains"]),
}
KEY_ACCOUNT_MANAGERS = ("SM1", "SM3")  # sales managers who still own big accounts themselves
PROMOTED_MANAGER = "SM5"  # was an account manager until PROMOTION_MONTHS_AGO
PROMOTION_MONTHS_AGO = 14
DIRECTOR_ID = "DIR1"
DIRECTOR_NAME = "Eleanor Whitfield"

TERRITORY_WEIGHTS: dict[str, int] = {
    "North Coast": 10,
    "Highlands": 7,
    "Metro East": 18,
    "Metro West": 15,
    "River Valley": 9,
    "South Coast": 14,
    "Bay Area": 13,
    "Desert Plains": 8,
}

PRODUCT_LINES = [
    "Office Supplies",
    "Packaging",
    "Safety Equipment",
    "Cleaning & Hygiene",
    "IT Accessories",
    "Furniture",
]

# industry -> (weight, adoption probability per product line in PRODUCT_LINES order)
INDUSTRIES: dict[str, tuple[int, tuple[float, ...]]] = {
    "Manufacturing": (20, (0.45, 0.85, 0.80, 0.50, 0.25, 0.10)),
    "Healthcare": (12, (0.60, 0.20, 0.45, 0.90, 0.35, 0.30)),
    "Retail": (15, (0.55, 0.80, 0.15, 0.60, 0.30, 0.15)),
    "Construction": (11, (0.30, 0.25, 0.90, 0.35, 0.10, 0.10)),
    "Education": (10, (0.85, 0.10, 0.20, 0.65, 0.60, 0.55)),
    "Hospitality": (10, (0.40, 0.45, 0.20, 0.85, 0.15, 0.40)),
    "Logistics": (12, (0.35, 0.90, 0.65, 0.30, 0.40, 0.05)),
    "Professional Services": (10, (0.90, 0.05, 0.05, 0.40, 0.80, 0.60)),
}

LOST_REASONS = [
    "competitor",
    "price",
    "acquired",
    "service",
    "bankrupt",
    "relationship",
    "closed",
    "relocated",
    "other",
]

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Carla",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Luca",
    "Maya",
    "Nils",
    "Olivia",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amir",
    "Bianca",
    "Chen",
    "Dara",
    "Emil",
    "Freya",
    "Gus",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lena",
    "Mateo",
    "Noor",
]
LAST_NAMES = [
    "Abbott",
    "Becker",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Mendes",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quintero",
    "Rossi",
    "Schneider",
    "Tanaka",
    "Usman",
    "Vargas",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Andersen",
    "Bauer",
    "Costa",
    "Duarte",
]

NAME_STEMS = [
    "Alder",
    "Birch",
    "Cedar",
    "Summit",
    "Harbor",
    "Granite",
    "Meridian",
    "Atlas",
    "Beacon",
    "Crescent",
    "Falcon",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Northwind",
    "Oakridge",
    "Pioneer",
    "Quarry",
    "Redwood",
    "Silverline",
    "Tidewater",
    "Union",
    "Vantage",
    "Willow",
    "Zenith",
    "Bluestone",
    "Copperleaf",
    "Evergreen",
    "Ironbridge",
    "Lakeshore",
    "Stonegate",
]
INDUSTRY_WORDS: dict[str, list[str]] = {
    "Manufacturing": ["Metalworks", "Fabrication", "Components", "Industries", "Plastics"],
    "Healthcare": ["Clinic", "Medical Group", "Health", "Care Homes", "Dental"],
    "Retail": ["Stores", "Market", "Outfitters", "Home & Garden", "Pharmacy"],
    "Construction": ["Builders", "Construction", "Contractors", "Roofing", "Civil Works"],
    "Education": ["Academy", "College", "Schools Trust", "Learning Centre", "Institute"],
    "Hospitality": ["Hotels", "Catering", "Restaurants", "Resorts", "Events"],
    "Logistics": ["Freight", "Logistics", "Warehousing", "Transport", "Couriers"],
    "Professional Services": ["Partners", "Consulting", "Legal", "Accountants", "Architects"],
}
LEGAL_FORMS = ["Ltd", "Inc", "GmbH", "LLC", "Group", "& Co"]
