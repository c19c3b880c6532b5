#!/usr/bin/env bash
# Tag -> export round trip through the installed `foia` command, as an investigator's script would use it.
# Run by tests/test_export.py (test_cli_round_trip); runs alone too: bash tests/test_cli_roundtrip.sh
set -euo pipefail

PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FOIA_DB="$work/archive.db" USER=roundtrip
mkdir "$work/mail"

fail() { echo "FAIL: $*" >&2; exit 1; }
json() { "$PYTHON" -c "import json, sys; data = json.load(sys.stdin); print($1)"; }

write_eml() {  # file, message-id, in-reply-to, date, subject, body
    {
        printf 'From: Jane Doe <jane@agency.example.gov>\nTo: Bob Roe <bob@agency.example.gov>\n'
        printf 'Subject: %s\nDate: %s\nMessage-ID: <%s>\n' "$5" "$4" "$2"
        if [ -n "$3" ]; then printf 'In-Reply-To: <%s>\nReferences: <%s>\n' "$3" "$3"; fi
        printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n%s\n' "$6"
    } >"$work/mail/$1"
}
write_eml budget.eml budget@x "" "Mon, 04 Mar 2019 10:15:00 -0500" "Budget" \
    "The budget was cut by 40 percent.
# Not a heading | <script>alert(1)</script>
=SUM(A1:A9)"
write_eml reply.eml reply@x budget@x "Tue, 05 Mar 2019 09:00:00 -0500" "Re: Budget" "Who approved the cut?"
write_eml lunch.eml lunch@x "" "Fri, 08 Mar 2019 12:00:00 -0500" "Lunch" "Lunch on Friday?"

foia import "$work/mail" >/dev/null 2>&1
foia list --json >"$work/list.jsonl"
id_of() { "$PYTHON" -c "import json, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m['subject'] == sys.argv[2]: print(m[sys.argv[3]])" "$work/list.jsonl" "$1" "$2"; }
budget=$(id_of Budget id)
thread=$(id_of Budget thread_id)
lunch=$(id_of Lunch id)

foia tag add evidence --message "$budget" --excerpt 4:32 --note "cut admitted" | grep -q "budget was cut by 40 percent" \
    || fail "excerpt tagging"
foia tag add budget-thread --thread "$thread" | grep -q "Tagged 2 messages" || fail "thread tagging"
formula=$(id_of Budget body | "$PYTHON" -c "import sys; b = sys.stdin.read(); i = b.find('=SUM'); print(f'{i}:{i + 11}')")
foia tag add formula --message "$budget" --excerpt "$formula" >/dev/null
foia tag add social --message "$lunch" >/dev/null
foia tag add friday --query 'subject:lunch' | grep -q "Tagged 1 message" || fail "query tagging"
foia tag add bad --message "$budget" --excerpt 9:2 2>"$work/err" && fail "a backwards excerpt was accepted"
grep -q "outside the message body" "$work/err" || fail "backwards excerpt error: $(cat "$work/err")"
foia tag color evidence red >/dev/null
foia tag describe evidence "Admissions about the cut" >/dev/null
foia tag rename social lunches >/dev/null
foia tag merge friday lunches >/dev/null

[ "$(foia tag list --json | json '[(t["name"], t["messages"]) for t in data]')" = \
    "[('budget-thread', 2), ('evidence', 1), ('formula', 1), ('lunches', 1)]" ] || fail "tag list: $(foia tag list --json)"

# Deleting asks first: "n" keeps the tag, --yes deletes it.
echo n | foia tag rm lunches >/dev/null 2>&1 && fail "tag rm did not stop on 'n'"
foia tag list --json | json '[t["name"] for t in data]' | grep -q lunches || fail "tag deleted without consent"
foia tag rm lunches --yes | grep -q "Deleted tag lunches" || fail "tag rm --yes"

# A forced re-import keeps every tagging.
foia import --force "$work/mail" >/dev/null 2>&1
[ "$(foia tag list --json | json 'sum(t["taggings"] for t in data)')" = 4 ] || fail "taggings lost on re-import"

foia export -o "$work/brief.md" --date 2024-05-01 2>/dev/null
grep -q '^> budget was cut by 40 percent$' "$work/brief.md" || fail "excerpt quote missing"
grep -q '^> \\# Not a heading | \\<script>alert(1)\\</script>$' "$work/brief.md" || fail "hostile line not escaped"
grep -q '^— 2019-03-04 10:15:00-05:00 · Jane Doe \\<jane@agency.example.gov> → Bob Roe' "$work/brief.md" \
    || fail "citation line"
grep -q '^\*\*Note\*\* (roundtrip, .*): cut admitted$' "$work/brief.md" || fail "note"
grep -q '^Made 2024-05-01 from archive archive.db.$' "$work/brief.md" || fail "made line"
grep -q '^Archive last imported: ' "$work/brief.md" || fail "last import line"
foia export -o "$work/again.md" --date 2024-05-01 2>/dev/null
cmp -s "$work/brief.md" "$work/again.md" || fail "two exports of the same archive at the same --date differ"
# An existing file is kept unless --force; -o - is standard output.
foia export -o "$work/brief.md" --format txt 2>"$work/err" && fail "an existing file was replaced"
cmp -s "$work/brief.md" "$work/again.md" || fail "the refused export changed the file"
grep -q "brief.md exists: not replaced (--force replaces it)" "$work/err" || fail "refusal: $(cat "$work/err")"
foia export -o "$work/brief.md" --format txt --force 2>/dev/null
grep -q '^“budget was cut by 40 percent”$' "$work/brief.md" || fail "--force with --format txt"
(cd "$work" && foia export -o - --date 2024-05-01 >"$work/stdout.md")
[ ! -e "$work/-" ] && cmp -s "$work/stdout.md" "$work/again.md" || fail "-o - did not write to standard output"

foia export --tag evidence --format json >"$work/brief.json"
[ "$(json '(data["passages"][0]["text"], data["passages"][0]["tagged_by"], len(data["passages"]))' <"$work/brief.json")" \
    = "('budget was cut by 40 percent', 'roundtrip', 1)" ] || fail "JSON export"
foia export --tag budget-thread --tag formula --query 'subject:budget' -o "$work/brief.csv" 2>/dev/null
"$PYTHON" - "$work/brief.csv" "$work/brief.json" <<'EOF' || fail "CSV export"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert list(rows[0]) == list(json.load(open(sys.argv[2]))["passages"][0]), "CSV and JSON fields differ"
assert [(r["tag"], r["subject"]) for r in rows] == [
    ("budget-thread", "Budget"), ("budget-thread", "Re: Budget"), ("formula", "Budget")], rows
assert rows[2]["text"] == "'=SUM(A1:A9)", rows[2]["text"]
EOF
foia export --query 'from:(' 2>"$work/err" && fail "a malformed query was accepted"
grep -q "^foia: --query:" "$work/err" || fail "query error: $(cat "$work/err")"
echo "round trip ok"
