# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# testlib.sh: the one test harness every shell test stage uses.
#
# A stage declares the cases it expects, reports each one, and ends with
# tl_done, which turns every expected case that never reported into a FAIL
# (a crash or an early exit cannot make a test disappear) and prints the
# stage's summary.  tests/run-stages counts the PASS:/FAIL:/SKIP: lines.
#
#   tl_init STAGE CASE...   the stage's name and its expected cases (one
#                           argument each, blanks allowed; more later with
#                           tl_expect).
#   tl_expect CASE...       more expected cases.
#   tl_pass CASE            "PASS: CASE".
#   tl_fail CASE [WHY...]   "FAIL: CASE" and an indented "  why: WHY".
#   tl_skip CASE WHY...     "SKIP: CASE (WHY)"; WHY is mandatory.
#   tl_check CASE CMD...    runs CMD; PASS if it succeeds, else FAIL.
#   tl_skip_rest WHY...     SKIPs every expected case not yet reported,
#                           prints the summary and exits 0: for a stage
#                           whose prerequisite (root, a package) is absent.
#   tl_why MSG... / tl_note MSG...
#                           diagnostics, indented, never a result line.
#   tl_done                 FAIL for each expected case not reported, a
#                           FAIL for each case reported twice or not
#                           expected, the summary line; exits 1 on any
#                           FAIL, else 0.  Also runs from the EXIT trap if
#                           the stage dies early (set -e), so the missing
#                           cases still show.
#   tl_exit_hook [STATUS]   the EXIT trap itself (see tl_done); a stage
#                           with its own EXIT trap calls it at the end.
#   tl_have CMD...          true if every CMD is on PATH.
#
# Cleanup of namespaces, OVS instances and background processes (by pid)
# is utilities/lib/netns-lab.sh's: source it after this file; its EXIT
# trap calls tl_exit_hook first, so tl_done still runs on early exits.
# Safe under 'set -eu'.

TL_STAGE=${TL_STAGE:-}
TL_DIR=
TL_DONE=false

tl_init() {
    [ $# -ge 1 ] || { echo "tl_init: usage: tl_init STAGE CASE..." >&2;
                      exit 2; }
    TL_STAGE=$1
    shift
    TL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tl-$TL_STAGE.XXXXXX")
    : > "$TL_DIR/expected"
    : > "$TL_DIR/reported"
    : > "$TL_DIR/failed"
    tl_expect "$@"
    trap tl_exit_hook EXIT
}

tl_need_init() {
    [ -n "$TL_DIR" ] && [ -d "$TL_DIR" ] && return 0
    echo "testlib: call tl_init before $1" >&2
    exit 2
}

tl_expect() {
    local c
    tl_need_init tl_expect
    for c in "$@"; do
        echo "$c" >> "$TL_DIR/expected"
    done
}

# One line per report: VERDICT<tab>CASE (case names may hold blanks).
tl_record() {
    local verdict=$1 case=$2
    printf '%s\t%s\n' "$verdict" "$case" >> "$TL_DIR/reported"
    [ "$verdict" != FAIL ] || echo "$case" >> "$TL_DIR/failed"
}

tl_pass() {
    tl_need_init tl_pass
    echo "PASS: $1"
    tl_record PASS "$1"
}

tl_fail() {
    local case=$1
    tl_need_init tl_fail
    shift
    echo "FAIL: $case"
    [ $# -eq 0 ] || echo "  why: $*"
    tl_record FAIL "$case"
}

tl_skip() {
    local case=$1
    tl_need_init tl_skip
    shift
    [ $# -gt 0 ] || { tl_fail "$case" "skipped without a reason"; return; }
    echo "SKIP: $case ($*)"
    tl_record SKIP "$case"
}

tl_check() {
    local case=$1
    shift
    if "$@"; then tl_pass "$case"; else tl_fail "$case"; fi
}

tl_why() { echo "  why: $*"; }
tl_note() { echo "  $*"; }

tl_have() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || return 1
    done
}

tl_reported() {
    cut -f2- "$TL_DIR/reported" | grep -qxF -- "$1"
}

tl_skip_rest() {
    local c
    tl_need_init tl_skip_rest
    while IFS= read -r c; do
        [ -n "$c" ] || continue
        tl_reported "$c" || tl_skip "$c" "$*"
    done < "$TL_DIR/expected"
    tl_done
}

tl_summary() {
    local p f s
    p=$(grep -c '^PASS' "$TL_DIR/reported" || true)
    f=$(grep -c '^FAIL' "$TL_DIR/reported" || true)
    s=$(grep -c '^SKIP' "$TL_DIR/reported" || true)
    echo "  $TL_STAGE: $p passed, $f failed, $s skipped" \
         "($(grep -c . "$TL_DIR/expected" || true) expected)"
}

# Checks the report against the expected list; prints FAILs; returns 1 on
# any failure.
tl_finish() {
    local c n
    while IFS= read -r c; do
        [ -n "$c" ] || continue
        tl_reported "$c" || tl_fail "$c" "expected case never reported"
    done < "$TL_DIR/expected"
    while IFS= read -r c; do
        grep -qxF -- "$c" "$TL_DIR/expected" \
            || tl_fail "unexpected-$c" "reported but not in the expected list"
    done < <(cut -f2- "$TL_DIR/reported" | sort -u)
    while IFS= read -r c; do
        n=$(cut -f2- "$TL_DIR/reported" | grep -cxF -- "$c")
        tl_fail "duplicate-$c" "reported $n times"
    done < <(cut -f2- "$TL_DIR/reported" | sort | uniq -d)
    tl_summary
    [ ! -s "$TL_DIR/failed" ]
}

tl_done() {
    local rc=0
    tl_need_init tl_done
    TL_DONE=true
    tl_finish || rc=1
    rm -rf "$TL_DIR"
    exit "$rc"
}

# EXIT trap: an early exit still reports the missing cases.  The exit
# status of the stage becomes 1 if anything failed or went missing.  A
# stage with its own EXIT trap calls it last, passing the status it saw.
tl_exit_hook() {
    local rc=${1:-$?}
    if ! $TL_DONE && [ -n "$TL_DIR" ] && [ -d "$TL_DIR" ]; then
        TL_DONE=true
        echo "  $TL_STAGE: stopped early (status $rc)"
        tl_finish || rc=1
        [ "$rc" -ne 0 ] || rc=1
        rm -rf "$TL_DIR"
    fi
    if declare -F lab_cleanup >/dev/null; then
        lab_cleanup
    fi
    exit "$rc"
}
