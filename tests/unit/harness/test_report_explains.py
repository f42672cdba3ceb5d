"""The report explains: failures first and linked, causes, the API's side, RFC links, subjects."""

from __future__ import annotations

import re

from harness.model.results import (
    Exchange,
    Level,
    RunInfo,
    RunResult,
    Status,
    SubjectInfo,
    clip_body,
)
from harness.report.evidence import rfc_links
from harness.report.html import render_html

from .conftest import make_result

INFO = RunInfo("mock", "http://127.0.0.1:1", "now", 1.0, "python -m harness")


def _html(*results: object, **info: object) -> str:
    run_info = RunInfo(**{**INFO.__dict__, **info})  # type: ignore[arg-type]
    return render_html(RunResult(run_info, tuple(results)))  # type: ignore[arg-type]


def _top(html: str) -> str:
    """Everything before the first section (the header and the overview)."""
    return html.split("<main>")[0]


def _group(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"')[1].split("</details>")[0]


def test_the_overview_names_each_apis_worst_failure_and_links_to_it() -> None:
    failed = make_result("cell4-cc-basic-opaque", "RFC6750-3.1-garbage-token", Status.FAILED,
                         expected="401 invalid_token", actual="HTTP 200")  # fmt: skip
    html = _html(make_result(), failed)
    top = _top(html)
    assert 'class="failure" href="#failed-RFC6750-3.1-garbage-token"' in top
    assert "got HTTP 200" in top
    assert "<strong>Expected:</strong> 401 invalid_token" in _group(
        html, "failed-RFC6750-3.1-garbage-token"
    )
    assert 'id="cell4-cc-basic-opaque-RFC6750-3.1-garbage-token"' in html


def test_one_line_per_api_with_a_coloured_count_per_cell_it_ran() -> None:
    html = _html(
        make_result("cell2-jwtp-basic-opaque", subject="orders-api"),
        make_result("cell4-cc-basic-opaque", subject="orders-api", status=Status.FAILED),
        make_result("cell1-jwtp-pkjwt-opaque", subject="api_jwt"),
    )
    overview = html.split('id="overview"')[1].split("</table>")[0]
    assert overview.count("<tr><td") == 2
    assert 'class="chip fail" href="#matrix-orders-api-cell4"' in overview
    assert ">4: 1 failed</a>" in overview and ">2: 1 passed</a>" in overview
    assert 'href="#matrix-orders-api-cell1"' not in overview  # cells it does not run: not drawn


def test_a_check_failing_in_several_variants_is_one_group_with_one_rerun_command() -> None:
    results = [
        make_result(v, "RFC6750-3.1-garbage-token", Status.FAILED, actual="HTTP 200",
                    subject="orders-api")
        for v in ("cell2-jwtp-basic-opaque", "cell4-cc-basic-opaque", "cell4-cc-basic-jwt")
    ]  # fmt: skip
    info = dict(
        subjects=(SubjectInfo("orders-api", "api/orders.toml", "client_secret_basic"),),
        command="python -m harness --subject-dir api --env-file my.env",
    )
    html = _html(*results, **info)
    group = _group(html, "failed-orders-api-RFC6750-3.1-garbage-token")
    assert "cells 2, 4 (3 variants)" in group
    assert (
        "python -m harness --env-file my.env --subject api/orders.toml --cells 2,4 "
        "--checks RFC6750-3.1-garbage-token" in group
    )
    assert "The same answer in cell4-cc-basic-jwt, cell4-cc-basic-opaque" in group


def test_a_fail_open_is_labelled_and_coloured_as_the_worst_outcome() -> None:
    failed = make_result(check_id="RFC6750-3.1-garbage-token", status=Status.FAILED,
                         actual="200", fail_open=True)  # fmt: skip
    html = _html(failed)
    assert 'class="status fail_open">FAIL-OPEN' in html
    assert 'class="fail_open" id="matrix-cell1"' in html
    assert "1 fail-open" in _top(html)


def test_a_failed_check_shows_the_apis_log_and_its_exchange_with_the_issuer() -> None:
    call = Exchange("POST", "http://127.0.0.1:1/oauth/v2/introspect",
                    {"authorization": "Basic [REDACTED:12345678]"}, "token=[REDACTED:abcdef12]",
                    401, {}, '{"error":"invalid_client"}')  # fmt: skip
    failed = make_result(status=Status.FAILED, actual="503", issuer_exchanges=(call,),
                         api_log=("ERROR oauthkit.api: the issuer refused the API's own "
                                  "credentials",))  # fmt: skip
    row = _group(_html(failed), "failed-RFC6750-3.1-no-credentials")
    assert "The API's exchange with the issuer" in row
    assert "POST http://127.0.0.1:1/oauth/v2/introspect" in row
    assert "refused the API&#39;s own credentials" in row
    assert "$ curl -i -X POST" in row and "-u &#34;$API_CLIENT_ID:$API_CLIENT_SECRET&#34;" in row


def test_a_truncated_body_is_marked_as_truncated() -> None:
    long = Exchange("GET", "http://h/api/private", status=200, response_body=clip_body("x" * 5000))
    html = _html(make_result(status=Status.FAILED, exchanges=(long,)))
    assert "truncated by the harness" in html
    assert 'class="truncated"' in html


def test_a_subjects_causes_are_listed_once_each_the_worst_first_and_folded_after_five() -> None:
    failed = [
        make_result(v, f"CHECK-{n}", Status.FAILED, actual=f"HTTP {400 + n}")
        for n in range(7)
        for v in ("cell1-jwtp-pkjwt-opaque", "cell3-cc-pkjwt-opaque")
    ]
    failed.append(make_result(check_id="CHECK-9", status=Status.FAILED, actual="HTTP 200",
                              fail_open=True))  # fmt: skip
    causes = _html(*failed).split('id="causes"')[1].split('id="failures"')[0]
    shown, folded = causes.split("<details><summary>3 more cause(s)</summary>")
    assert shown.count("<li>") == 5 and folded.count("<li>") == 3
    assert shown.index("HTTP 200") < shown.index("HTTP 400")  # the fail-open first


def test_missing_settings_problems_and_warnings_are_at_the_top() -> None:
    missing = make_result("cell2-jwtp-basic-opaque", status=Status.NOT_CONFIGURED,
                          variable="API_CLIENT_ID", detail="API_CLIENT_ID is not set")  # fmt: skip
    html = _html(make_result(), missing, warnings=("api_jwt: API_AUDIENCE is empty",),
                 problems=("A worker stopped: boom",))  # fmt: skip
    top = _top(html)
    assert 'class="verdict incomplete"' in top and "INCOMPLETE" in top
    assert "<code>API_CLIENT_ID</code>" in top and 'href="#cell2"' in top
    assert "A worker stopped: boom" in top
    assert "api_jwt: API_AUDIENCE is empty" in top
    assert 'class="incomplete" id="matrix-cell1"' not in html  # cell 1 ran fully
    assert 'class="not_configured" id="matrix-cell2"' in html


def test_each_check_links_to_its_rfc_sections_at_the_rfc_editor() -> None:
    assert rfc_links("RFC 6750 §2.1, §3.1; RFC 9110 §15.6.4") == [
        ("RFC 6750 §2.1", "https://www.rfc-editor.org/rfc/rfc6750#section-2.1"),
        ("RFC 6750 §3.1", "https://www.rfc-editor.org/rfc/rfc6750#section-3.1"),
        ("RFC 9110 §15.6.4", "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4"),
    ]
    assert rfc_links("RFC 6750") == [("RFC 6750", "https://www.rfc-editor.org/rfc/rfc6750")]
    html = _html(make_result())
    assert 'href="https://www.rfc-editor.org/rfc/rfc6750#section-3.1"' in html


def test_several_subjects_get_an_overview_and_a_section_each() -> None:
    ours = make_result()
    theirs = make_result(subject="express-api", status=Status.FAILED, level=Level.MUST)
    html = _html(ours, theirs)
    overview = html.split('id="overview"')[1].split("</table>")[0]
    assert "api_jwt" in overview and "express-api" in overview
    assert re.search(r"express-api</a></td>\s*<td class=\"status failed\">FAILED", overview)
    assert 'id="cell1"' in html and 'id="express-api-cell1"' in html
    assert 'id="express-api-cell1-jwtp-pkjwt-opaque-RFC6750-3.1-no-credentials"' in html
    assert html.count('class="matrix"') == 2


def test_a_third_party_subject_is_named_by_its_own_name_never_by_a_samples() -> None:
    html = _html(make_result("cell2-jwtp-basic-opaque", subject="express-api"),
                 make_result("cell4-cc-basic-opaque", subject="express-api"))  # fmt: skip
    assert "api_basic_auth" not in html and "api_jwt" not in html
    assert "<code>express-api</code> <strong>introspects with client_secret_basic" in html
    assert html.count('<th scope="col">') == 1  # one column: its mechanism
    assert "0 passed" not in html and "not run" not in html  # no empty cells drawn


def test_the_sample_apis_run_as_subjects_are_one_matrix_of_built_in_samples() -> None:
    html = _html(make_result(subject="api_jwt"),
                 make_result("cell2-jwtp-basic-opaque", subject="api_basic_auth"))  # fmt: skip
    assert 'id="cell1"' in html and 'id="cell2"' in html
    assert html.count('class="matrix"') == 1


def test_not_applicable_rows_fold_into_one_line_per_family_with_the_reason() -> None:
    results = [
        make_result(check_id=f"LIE-{n}", status=Status.NOT_APPLICABLE, family="lies",
                    detail="the API validates JWTs locally")
        for n in range(40)
    ]  # fmt: skip
    html = _html(make_result(), *results)
    folded = html.split('<details class="na">')[1].split("</details>")[0]
    assert "lying issuer 40" in folded and "the API validates JWTs locally" in folded
    assert "LIE-3" not in html.split('class="checks"')[1].split("</table>")[0]  # no row of its own


def test_a_banner_quotes_only_the_last_lines_of_a_long_log() -> None:
    traceback = "ERROR uvicorn.error: Exception\n" + "\n".join(f"  frame {n}" for n in range(50))
    failed = make_result(status=Status.FAILED, actual="500", api_log=(traceback,))
    group = _group(_html(failed), "failed-RFC6750-3.1-no-credentials")
    assert "frame 49" in group and "frame 0" in group  # the check's own log, whole
