"""The report explains: failures first and linked, causes, the API's side, RFC links, subjects."""

from __future__ import annotations

import re

from harness.model.results import Exchange, Level, RunInfo, RunResult, Status, clip_body
from harness.report.evidence import rfc_links
from harness.report.html import render_html

from .conftest import make_result

INFO = RunInfo("mock", "http://127.0.0.1:1", "now", 1.0, "python -m harness")


def _html(*results: object, **info: object) -> str:
    run_info = RunInfo(**{**INFO.__dict__, **info})  # type: ignore[arg-type]
    return render_html(RunResult(run_info, tuple(results)))  # type: ignore[arg-type]


def _top(html: str) -> str:
    """Everything before the first matrix."""
    return html.split('<h2 id="matrix">')[0]


def test_each_failure_is_listed_at_the_top_and_links_to_its_row() -> None:
    failed = make_result("cell4-cc-basic-opaque", "RFC6750-3.1-garbage-token", Status.FAILED,
                         expected="401 invalid_token", actual="200")  # fmt: skip
    html = _html(make_result(), failed)
    top = _top(html)
    assert 'href="#cell4-cc-basic-opaque-RFC6750-3.1-garbage-token"' in top
    assert "expected 401 invalid_token; got 200" in top
    assert 'id="cell4-cc-basic-opaque-RFC6750-3.1-garbage-token"' in html


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
    row = _html(failed).split('id="cell1-jwtp-pkjwt-opaque-RFC6750-3.1-no-credentials"')[1]
    assert "The API's exchange with the issuer" in row
    assert "POST http://127.0.0.1:1/oauth/v2/introspect" in row
    assert "refused the API&#39;s own credentials" in row
    assert "$ curl -i -X POST" in row and "-u &#34;$CLIENT_ID:$CLIENT_SECRET&#34;" in row


def test_a_truncated_body_is_marked_as_truncated() -> None:
    long = Exchange("GET", "http://h/api/private", status=200, response_body=clip_body("x" * 5000))
    html = _html(make_result(status=Status.FAILED, exchanges=(long,)))
    assert "truncated by the harness" in html
    assert 'class="truncated"' in html


def test_one_cause_behind_many_failures_gets_one_banner() -> None:
    log = ("ERROR oauthkit.api: introspection at http://x failed: ConnectError",)
    failed = [
        make_result(v, c, Status.FAILED, actual="503", api_log=log)
        for v in ("cell1-jwtp-pkjwt-opaque", "cell3-cc-pkjwt-opaque")
        for c in ("RFC6750-2.1-valid-token", "RFC6750-3.1-role-present")
    ]
    top = _top(_html(*failed))
    assert top.count('class="box cause"') == 1
    assert "One cause, 4 failures: The issuer could not be reached" in top


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
    overview = html.split('id="subjects"')[1].split("</table>")[0]
    assert "built-in samples" in overview and "express-api" in overview
    assert re.search(r"express-api</a></td>\s*<td class=\"status failed\">FAILED", overview)
    assert 'id="cell1"' in html and 'id="express-api-cell1"' in html
    assert 'id="express-api-cell1-jwtp-pkjwt-opaque-RFC6750-3.1-no-credentials"' in html
    assert html.count('class="matrix"') == 2


def test_a_single_subject_has_no_overview() -> None:
    assert 'id="subjects"' not in _html(make_result(subject="express-api"))


def test_the_sample_apis_run_as_subjects_are_one_matrix_of_built_in_samples() -> None:
    html = _html(make_result(subject="api_jwt"),
                 make_result("cell2-jwtp-basic-opaque", subject="api_basic_auth"))  # fmt: skip
    assert 'id="subjects"' not in html
    assert 'id="cell1"' in html and 'id="cell2"' in html
    assert html.count('class="matrix"') == 1


def test_a_long_list_of_failures_shows_the_worst_and_folds_the_rest() -> None:
    failed = [
        make_result(f"cell{n}-x-opaque", f"CHECK-{i}", Status.FAILED, fail_open=(n == 6))
        for n in range(1, 7)
        for i in range(3)
    ]
    top = _top(_html(*failed))
    shown, folded = top.split("<details><summary>6 more failure(s)</summary>")
    assert shown.count("<li>") == 12 and folded.count("<li>") == 6
    assert shown.index("FAIL-OPEN") < shown.index(">FAIL<")  # fail-opens first


def test_a_banner_quotes_only_the_last_lines_of_a_long_log() -> None:
    traceback = "ERROR uvicorn.error: Exception\n" + "\n".join(f"  frame {n}" for n in range(50))
    failed = [
        make_result(v, c, Status.FAILED, actual="500", api_log=(traceback,))
        for v in ("cell1-jwtp-pkjwt-opaque", "cell3-cc-pkjwt-opaque")
        for c in ("RFC6750-2.1-valid-token", "RFC6750-3.1-role-present")
    ]
    banner = _top(_html(*failed)).split('class="box cause"')[1].split("</section>")[0]
    assert "frame 49" in banner and "frame 41" not in banner and "frame 42" in banner
    assert "earlier lines" in banner
