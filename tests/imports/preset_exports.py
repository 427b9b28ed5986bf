"""Files shaped like each CRM's export (headers as the product writes them, extra columns
the mapping does not read, the product's date and money formats), made by the tests. Each
preset's files hold 3 reps (a rep before their manager), 3 accounts (a subsidiary before its
parent) and, where the preset has them, 4 opportunities (won, lost, two open) and 2 order lines
(a third line, not won or not confirmed, is left out)."""

from __future__ import annotations

import csv
from pathlib import Path

Table = tuple[list[str], list[list[str]]]

SALESFORCE: dict[str, Table] = {
    "reps": (
        ["Full Name", "Email", "Role", "Manager", "Active", "Profile", "User ID"],
        [
            ["Ann Lee", "ann@example.com", "Account Manager", "Max Boss", "1", "Standard User", "0055g01"],
            ["Max Boss", "max@example.com", "Sales Manager", "", "1", "Standard User", "0055g02"],
            ["Bo Hunt", "bo@example.com", "Account Executive", "Max Boss", "1", "Standard User", "0055g03"],
        ],
    ),
    "accounts": (
        ["Account Owner", "Account Name", "Account ID", "Parent Account ID", "Industry", "Type", "Created Date",
         "Annual Revenue"],
        [
            ["Ann Lee", "Acme East", "001A2", "001A1", "Manufacturing", "Customer", "3/5/2023", "$1,000,000.00"],
            ["Ann Lee", "Acme", "001A1", "", "Manufacturing", "Customer", "1/15/2022", "$9,500,000.00"],
            ["Bo Hunt", "Globex", "001B1", "", "Retail", "Prospect", "11/30/2023", ""],
        ],
    ),
    "opportunities": (
        ["Opportunity Owner", "Account Name", "Account ID", "Opportunity Name", "Opportunity ID", "Stage",
         "Amount", "Probability (%)", "Close Date", "Fiscal Period"],
        [
            ["Ann Lee", "Acme", "001A1", "Acme renewal", "0065g01", "Closed Won", "$12,500.00", "100%",
             "2/28/2025", "Q1-2025"],
            ["Bo Hunt", "Globex", "001B1", "Globex pilot", "0065g02", "Closed Lost", "$3,000.00", "0%",
             "3/31/2025", "Q1-2025"],
            ["Bo Hunt", "Globex", "001B1", "Globex roll-out", "0065g03", "Qualification", "", "10%",
             "9/30/2026", "Q3-2026"],
            ["Ann Lee", "Acme East", "001A2", "East expansion", "0065g04", "Proposal/Price Quote", "$8,000.00",
             "75%", "6/30/2026", "Q2-2026"],
        ],
    ),
    "orders": (
        ["Opportunity Owner", "Account ID", "Account Name", "Opportunity ID", "Opportunity Name", "Stage",
         "Close Date", "Product Name", "Product Code", "Product Family", "Quantity", "Sales Price", "Total Price"],
        [
            ["Ann Lee", "001A1", "Acme", "0065g01", "Acme renewal", "Closed Won", "2/28/2025", "Widget",
             "W-1", "Hardware", "10", "$1,000.00", "$10,000.00"],
            ["Ann Lee", "001A1", "Acme", "0065g01", "Acme renewal", "Closed Won", "2/28/2025", "Support",
             "S-1", "Services", "1", "$2,500.00", "$2,500.00"],
            ["Bo Hunt", "001B1", "Globex", "0065g02", "Globex pilot", "Closed Lost", "3/31/2025", "Widget",
             "W-1", "Hardware", "3", "$1,000.00", "$3,000.00"],
        ],
    ),
}

HUBSPOT: dict[str, Table] = {
    "reps": (
        ["First Name", "Last Name", "Email", "Primary Team", "Permission Set", "Last Active"],
        [
            ["Ann", "Lee", "ann@example.com", "North", "Sales", "2025-03-01"],
            ["Max", "Boss", "max@example.com", "North", "Sales Manager", "2025-03-01"],
            ["Bo", "Hunt", "bo@example.com", "South", "Sales", "2025-02-01"],
        ],
    ),
    "accounts": (
        ["Record ID", "Company name", "Company owner", "Create Date", "Industry", "Parent Company ID",
         "Last Activity Date", "City"],
        [
            ["9001002", "Acme East", "Ann Lee", "2023-03-05 10:02", "MACHINERY", "9001001", "", "Boston"],
            ["9001001", "Acme", "Ann Lee", "2022-01-15 09:00", "MACHINERY", "", "", "Boston"],
            ["9001003", "Globex", "Bo Hunt", "2023-11-30 16:45", "RETAIL", "", "", "Austin"],
        ],
    ),
    "opportunities": (
        ["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount", "Pipeline",
         "Associated Company IDs", "Create Date"],
        [
            ["7001", "Acme renewal", "Closed Won", "2025-02-28 12:00", "Ann Lee", "12500", "Sales Pipeline",
             "9001001", "2024-11-01 09:00"],
            ["7002", "Globex pilot", "Closed Lost", "2025-03-31 12:00", "Bo Hunt", "3000", "Sales Pipeline",
             "9001003;9001001", "2024-12-01 09:00"],
            ["7003", "Globex roll-out", "Qualified To Buy", "2026-09-30 12:00", "Bo Hunt", "", "Sales Pipeline",
             "9001003", "2025-01-01 09:00"],
            ["7004", "East expansion", "Contract Sent", "2026-06-30 12:00", "Ann Lee", "8000.5", "Sales Pipeline",
             "9001002", "2025-01-05 09:00"],
        ],
    ),
}

DYNAMICS365: dict[str, Table] = {
    "reps": (
        ["(Do Not Modify) User", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "Full Name",
         "Primary Email", "Title", "Manager", "Business Unit"],
        [
            ["a1b2-01", "x1", "3/1/2025 9:00 AM", "Ann Lee", "ann@example.com", "Account Manager", "Max Boss",
             "North"],
            ["a1b2-02", "x2", "3/1/2025 9:00 AM", "Max Boss", "max@example.com", "Sales Manager", "", "North"],
            ["a1b2-03", "x3", "3/1/2025 9:00 AM", "Bo Hunt", "bo@example.com", "Account Executive", "Max Boss",
             "South"],
        ],
    ),
    "accounts": (
        ["(Do Not Modify) Account", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "Account Name",
         "Main Phone", "Address 1: City", "Primary Contact", "Owner", "Parent Account", "Industry", "Created On"],
        [
            ["c1-02", "y", "3/1/2025", "Acme East", "555-0102", "Boston", "", "Ann Lee", "Acme", "Manufacturing",
             "3/5/2023 10:02 AM"],
            ["c1-01", "y", "3/1/2025", "Acme", "555-0101", "Boston", "", "Ann Lee", "", "Manufacturing",
             "1/15/2022 9:00 AM"],
            ["c1-03", "y", "3/1/2025", "Globex", "555-0103", "Austin", "", "Bo Hunt", "", "Retail",
             "11/30/2023 4:45 PM"],
        ],
    ),
    "opportunities": (
        ["(Do Not Modify) Opportunity", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On", "Topic",
         "Potential Customer", "Status", "Sales Stage", "Est. Revenue", "Est. Close Date", "Actual Revenue",
         "Actual Close Date", "Owner"],
        [
            ["o-01", "z", "3/1/2025", "Acme renewal", "Acme", "Won", "Close", "$12,000.00", "2/15/2025",
             "$12,500.00", "2/28/2025", "Ann Lee"],
            ["o-02", "z", "3/1/2025", "Globex pilot", "Globex", "Lost", "Propose", "$3,000.00", "3/15/2025",
             "", "3/31/2025", "Bo Hunt"],
            ["o-03", "z", "3/1/2025", "Globex roll-out", "Globex", "Open", "Qualify", "", "9/30/2026", "", "",
             "Bo Hunt"],
            ["o-04", "z", "3/1/2025", "East expansion", "Acme East", "Open", "Propose", "$8,000.00", "6/30/2026",
             "", "", "Ann Lee"],
        ],
    ),
}

PIPEDRIVE: dict[str, Table] = {
    "reps": (
        ["Name", "Email", "Active", "Is you", "Permission set"],
        [
            ["Ann Lee", "ann@example.com", "true", "false", "Regular user"],
            ["Max Boss", "max@example.com", "true", "true", "Admin"],
            ["Bo Hunt", "bo@example.com", "true", "false", "Regular user"],
        ],
    ),
    "accounts": (
        ["Organization - ID", "Organization - Name", "Organization - Owner", "Organization - Address",
         "Organization - Label", "Organization - Add time", "Organization - Open deals"],
        [
            ["12", "Acme East", "Ann Lee", "Boston, MA", "Customer", "2023-03-05 10:02:11", "1"],
            ["11", "Acme", "Ann Lee", "Boston, MA", "Customer", "2022-01-15 09:00:00", "0"],
            ["13", "Globex", "Bo Hunt", "Austin, TX", "Hot lead", "2023-11-30 16:45:00", "1"],
        ],
    ),
    "opportunities": (
        ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Organization", "Deal - Owner",
         "Deal - Stage", "Deal - Status", "Deal - Expected close date", "Deal - Won time", "Deal - Lost time",
         "Deal - Lost reason"],
        [
            ["301", "Acme renewal", "12500", "EUR", "Acme", "Ann Lee", "Negotiations Started", "Won", "2025-02-28",
             "2025-02-28 15:10:00", "", ""],
            ["302", "Globex pilot", "3000", "EUR", "Globex", "Bo Hunt", "Proposal Made", "Lost", "2025-03-31", "",
             "2025-03-31 11:00:00", "Price"],
            ["303", "Globex roll-out", "0", "EUR", "Globex", "Bo Hunt", "Qualified", "Open", "2026-09-30", "", "",
             ""],
            ["304", "East expansion", "8000", "EUR", "Acme East", "Ann Lee", "Proposal Made", "Open", "2026-06-30",
             "", "", ""],
        ],
    ),
}

ODOO: dict[str, Table] = {
    "reps": (
        ["id", "name", "login", "sale_team_id", "share"],
        [
            ["__export__.res_users_7_a1", "Ann Lee", "ann@example.com", "Europe", "False"],
            ["__export__.res_users_8_a2", "Max Boss", "max@example.com", "Europe", "False"],
            ["__export__.res_users_9_a3", "Bo Hunt", "bo@example.com", "America", "False"],
        ],
    ),
    "accounts": (
        ["id", "name", "is_company", "parent_id/id", "user_id/id", "industry_id", "create_date", "email"],
        [
            ["__export__.res_partner_42_b2", "Acme East", "True", "__export__.res_partner_41_b1",
             "__export__.res_users_7_a1", "Manufacturing", "2023-03-05 10:02:11", ""],
            ["__export__.res_partner_41_b1", "Acme", "True", "", "__export__.res_users_7_a1", "Manufacturing",
             "2022-01-15 09:00:00", ""],
            ["__export__.res_partner_50_c1", "Jane Doe", "False", "__export__.res_partner_41_b1", "", "",
             "2022-02-01 09:00:00", "jane@acme.example"],
            ["__export__.res_partner_43_b3", "Globex", "True", "", "__export__.res_users_9_a3", "Retail",
             "2023-11-30 16:45:00", ""],
        ],
    ),
    "opportunities": (
        ["id", "name", "type", "partner_id/id", "user_id/id", "stage_id", "active", "expected_revenue",
         "probability", "date_deadline", "date_closed"],
        [
            ["__export__.crm_lead_1_d1", "Acme renewal", "opportunity", "__export__.res_partner_41_b1",
             "__export__.res_users_7_a1", "Won", "True", "12500.00", "100", "2025-02-28", "2025-02-28 15:10:00"],
            ["__export__.crm_lead_2_d2", "Globex pilot", "opportunity", "__export__.res_partner_43_b3",
             "__export__.res_users_9_a3", "Proposition", "False", "3000.00", "0", "2025-03-31",
             "2025-03-31 11:00:00"],
            ["__export__.crm_lead_3_d3", "Globex roll-out", "opportunity", "__export__.res_partner_43_b3",
             "__export__.res_users_9_a3", "Qualified", "True", "0.00", "20", "2026-09-30", ""],
            ["__export__.crm_lead_4_d4", "East expansion", "opportunity", "__export__.res_partner_42_b2",
             "__export__.res_users_7_a1", "Proposition", "True", "8000.00", "60", "2026-06-30", ""],
        ],
    ),
    "orders": (
        ["id", "order_id/id", "order_partner_id/id", "order_id/date_order", "product_id", "product_id/categ_id",
         "product_uom_qty", "price_unit", "price_subtotal", "margin", "salesman_id/id", "state"],
        [
            ["__export__.sale_order_line_1_e1", "__export__.sale_order_1_f1", "__export__.res_partner_41_b1",
             "2025-02-28 15:10:00", "Widget", "All / Hardware", "10", "1000.00", "10000.00", "2500.00",
             "__export__.res_users_7_a1", "sale"],
            ["__export__.sale_order_line_2_e2", "__export__.sale_order_1_f1", "__export__.res_partner_41_b1",
             "2025-02-28 15:10:00", "Support", "All / Services", "1", "2500.00", "2500.00", "",
             "__export__.res_users_7_a1", "done"],
            ["__export__.sale_order_line_3_e3", "__export__.sale_order_2_f2", "__export__.res_partner_43_b3",
             "2025-03-31 11:00:00", "Widget", "All / Hardware", "3", "1000.00", "3000.00", "600.00",
             "__export__.res_users_9_a3", "draft"],
        ],
    ),
}

EXPORTS = {
    "salesforce": SALESFORCE,
    "hubspot": HUBSPOT,
    "dynamics365": DYNAMICS365,
    "pipedrive": PIPEDRIVE,
    "odoo": ODOO,
}
# per preset: the opportunities' close-date and stage columns (the broken files spoil them)
SPOIL = {
    "salesforce": ("Close Date", "Stage"),
    "hubspot": ("Close Date", "Deal Stage"),
    "dynamics365": ("Est. Close Date", "Sales Stage"),
    "pipedrive": ("Deal - Expected close date", "Deal - Stage"),
    "odoo": ("date_deadline", "stage_id"),
}


def write_table(path: Path, table: Table) -> Path:
    header, rows = table
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path
