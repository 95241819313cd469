#!/usr/bin/env python3
"""Rewrites an ISO CSV file (commas, `YYYY-MM-DD` dates, plain amounts) in a CRM's export style,
the styles `fulcrum-gen --style` writes (tools/fulcrum-gen/ExportStyle.h):

  salesforce  every field quoted, CRLF, dates M/D/YYYY, amounts $1,234.56
  hubspot     UTF-8 BOM, headers in Title Case with spaces, dates as UTC timestamps taken in the
              evening in America/Los_Angeles (01:30 UTC the next day), plain amounts
  european    UTF-8 BOM, CRLF, `;` between fields, dates DD.MM.YYYY, amounts 1.234,56 €,
              decimal commas

  restyle_csv.py STYLE IN OUT [--dates COL,...] [--money COL,...] [--numbers COL,...]

Only the named columns change their values; every other cell is copied (quoted as the style's
delimiter needs). Written independently of fulcrum-gen's C++, so the two check each other."""
import argparse
import csv
import datetime
import io


def grouped(text, group, decimal):
    negative = text.startswith("-")
    text = text.lstrip("-")
    whole, _, fraction = text.partition(".")
    fraction = (fraction + "00")[:max(2, len(fraction))]
    parts = []
    while len(whole) > 3:
        parts.insert(0, whole[-3:])
        whole = whole[:-3]
    parts.insert(0, whole)
    return ("-" if negative else "") + group.join(parts) + decimal + fraction


def restyle_cell(style, kind, text):
    if text == "" or kind is None:
        return text
    if kind == "date":
        day = datetime.date.fromisoformat(text)
        if style == "salesforce":
            return f"{day.month}/{day.day}/{day.year:04}"
        if style == "hubspot":
            after = day + datetime.timedelta(days=1)
            return f"{after.isoformat()}T01:30:00Z"
        return f"{day.day:02}.{day.month:02}.{day.year:04}"
    if kind == "money":
        if style == "salesforce":
            amount = grouped(text, ",", ".")
            return "-$" + amount[1:] if amount.startswith("-") else "$" + amount
        if style == "european":
            return grouped(text, ".", ",") + " \u20ac"
        return text
    if kind == "number" and style == "european":
        return text.replace(".", ",")
    return text


def restyle(style, source, target, kinds):
    with open(source, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    column_kinds = [kinds.get(name) for name in header]
    out = io.StringIO()
    delimiter = ";" if style == "european" else ","
    line_end = "\n" if style == "hubspot" else "\r\n"
    quoting = csv.QUOTE_ALL if style == "salesforce" else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    if style == "hubspot":
        header = [" ".join(w[:1].upper() + w[1:] for w in name.split("_")) for name in header]
    writer.writerow(header)
    for row in body:
        writer.writerow([restyle_cell(style, k, c) for k, c in zip(column_kinds, row)])
    bom = "\ufeff" if style in ("hubspot", "european") else ""
    with open(target, "w", encoding="utf-8", newline="") as f:
        f.write(bom + out.getvalue())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("style", choices=["salesforce", "hubspot", "european"])
    parser.add_argument("source")
    parser.add_argument("target")
    for kind in ("dates", "money", "numbers"):
        parser.add_argument(f"--{kind}", default="")
    args = parser.parse_args()
    kinds = {}
    for kind, names in (("date", args.dates), ("money", args.money), ("number", args.numbers)):
        for name in filter(None, names.split(",")):
            kinds[name] = kind
    restyle(args.style, args.source, args.target, kinds)


if __name__ == "__main__":
    main()
