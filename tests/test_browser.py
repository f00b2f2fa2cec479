"""End to end in a real browser: JupyterLab serves a copy of the notebooks, Debian's chromium (driven by
Playwright, never a downloaded browser) runs 13_prompt_playground, attaches a sample image, moves the
temperature, presses Stream and waits for the streamed answer and the usage line, then opens the history
of runs and its chart. The screenshot goes to test-artifacts/13_prompt_playground.png."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import require
from helpers.paths import NOTEBOOKS, REPO

NOTEBOOK = "13_prompt_playground.ipynb"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",  # containers often give /dev/shm only 64 MB; a full renderer then crashes
]
SERVER_START_S = 90
PAGE_TIMEOUT_MS = 120_000
# JupyterLab user settings: start the notebook's kernel on open, and never fetch news or updates.
SETTINGS = {
    # windowingMode none: render every cell, so text far down the notebook can be found in the page
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"checkForUpdates": False, "fetchNews": "false"},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab on a free loopback port, no token, own config/settings dirs; always terminated."""
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOKS / NOTEBOOK, root / NOTEBOOK)
    settings = tmp_path / "lab-settings"
    for name, values in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = {
        **os.environ,
        "BEDROCK_MODE": "offline",
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    port = _free_port()
    log = tmp_path / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.allow_root=True",
    ]  # CI containers run as root
    with open(log, "w") as output:
        process = subprocess.Popen(
            command, env=env, cwd=root, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server and its kernels (its own process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


ALL_CELLS_RAN = """() => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    return kernel.status === 'idle' && notebook.widgets.every(
        cell => cell.model.type !== 'code' || cell.model.executionCount !== null);
}"""
CELL_ERRORS = """() => window.jupyterapp.shell.currentWidget.content.widgets
    .filter(cell => cell.model.type === 'code')
    .flatMap(cell => cell.model.outputs.toJSON())
    .filter(output => output.output_type === 'error')
    .map(output => output.ename + ': ' + output.evalue)"""
# Record the answer's length each time the cell changes while the answer is there but the usage line is
# not yet: two or more distinct lengths mean the text arrived in pieces.
WATCH_PARTIAL_ANSWERS = """cell => {
    window.partialAnswerLengths = [];
    new MutationObserver(() => {
        const text = cell.innerText;
        if (text.includes('I can see') && !text.includes('est. cost')) {
            window.partialAnswerLengths.push(text.length);
        }
    }).observe(cell, {subtree: true, childList: true, characterData: true});
}"""
KERNEL_IDLE = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = widget && widget.sessionContext && widget.sessionContext.session
        && widget.sessionContext.session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""


@pytest.fixture
def chromium():
    """Debian's chromium (skipped locally without it, a failure in CI); requested before the server starts."""
    return require("chromium")


def test_playground_streams_an_answer_with_tokens_cost_and_latency_in_chromium(chromium, jupyterlab):
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1500})
        try:
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.goto(f"{jupyterlab}/lab/tree/{NOTEBOOK}")
            page.wait_for_function(KERNEL_IDLE, timeout=PAGE_TIMEOUT_MS)
            # clear the stored outputs first, so only what this kernel computes can satisfy the waits
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
            ran = page.evaluate("async () => await window.jupyterapp.commands.execute('notebook:run-all-cells')")
            assert ran is True, f"Run all stopped at a failing cell: {page.evaluate(CELL_ERRORS)}"
            page.wait_for_function(ALL_CELLS_RAN, timeout=PAGE_TIMEOUT_MS)
            page.get_by_text("13 call(s):").wait_for()  # the last cell's output: the whole notebook ran

            stream = page.get_by_role("button", name="Stream (ConverseStream)")
            cell = page.locator(".jp-Cell").filter(has=stream)
            cell.scroll_into_view_if_needed()
            cell.locator(".widget-dropdown").filter(has_text="Attach").locator("select").select_option("shapes.jpg")
            guardrail = cell.locator(".widget-dropdown").filter(has_text="Guardrail").locator("select option")
            guardrails_offered = [t.replace("\xa0", " ") for t in guardrail.all_inner_texts()]  # ipywidgets' nbsp
            readout = cell.locator(".widget-slider").filter(has_text="temperature").locator(".widget-readout")
            readout.click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type("0.2")
            page.keyboard.press("Enter")
            cell.evaluate(WATCH_PARTIAL_ANSWERS)
            stream.click()

            cell.get_by_text("est. cost").wait_for()
            cell.get_by_text("Request (copy into code)").click()  # open the collapsible request panel
            cell.get_by_text("'temperature': 0.2").wait_for()
            text = cell.inner_text()  # before the history panel takes the request panel's place
            cell.get_by_text("History of runs").click()
            chart = cell.locator(".widget-output img").first  # the chart of runs, beside the table
            chart.wait_for()
            chart_width = chart.evaluate("img => img.naturalWidth")
            page.wait_for_timeout(300)  # let the last output render before the screenshot
            cell.screenshot(path=str(ARTIFACTS / "13_prompt_playground.png"))
            partial_lengths = page.evaluate("() => window.partialAnswerLengths")
        except Exception:
            try:  # a picture of the failure, when the page is still there to take one
                page.screenshot(path=str(ARTIFACTS / "13_prompt_playground-failure.png"), full_page=True)
            except sync_api.Error:
                pass  # the browser went away: the error being raised says why, not this one
            raise
        finally:
            browser.close()
    assert "I can see three shapes on a white background: a red circle, a blue square and a yellow triangle." in text
    assert "stop reason: end_turn" in text
    assert "tokens: 222 in + 31 out = 253 | est. cost $0.000021" in text
    assert "latency: metrics.latencyMs 289 ms (simulated offline) | time to first token (measured) " in text
    assert "'source': {'bytes': (DATA / 'samples' / 'shapes.jpg').read_bytes()}" in text
    assert "Traceback" not in text
    assert guardrails_offered == ["(no guardrail)", "deny investment advice", "mask e-mail and phone"]
    assert chart_width == 900, "the history of runs is drawn as a 900-pixel chart (helpers.plots.run_history)"
    assert len(set(partial_lengths)) >= 2, "the answer should grow piece by piece before the usage line appears"
