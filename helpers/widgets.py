"""The prompt playground and the compare view: ipywidgets controls over `helpers.playground`.

    from helpers.widgets import Playground, Compare
    Playground(client)                      # pick a model, type, attach, offer a tool, guard it, Send or Stream
    Compare(client, ["amazon.nova-lite-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0"])

Everything a run shows goes into Output widgets through their `append_*` API, so the widgets work the
same in JupyterLab, in tests and under nbval. Errors appear as the explanation from
`helpers.troubleshoot`, never as a traceback. ipywidgets and pandas are imported on first use.
"""

from __future__ import annotations

from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from . import clients, guardrails, models, playground

NO_ATTACHMENT = "(none)"
HISTORY_SHOWN = [
    "run",
    "mode",
    "model",
    "temperature",
    "maxTokens",
    "prompt",
    "stop_reason",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "latency_ms",
    "error",
]
UPLOAD_ACCEPT = ",".join(f".{e}" for e in sorted(playground.ATTACHABLE))


def output_text(output) -> str:
    """All text an Output widget holds (stream pieces and text/plain displays), in order."""
    parts = []
    for item in output.outputs:
        if item.get("output_type") == "stream":
            parts.append(item["text"])
        elif "text/plain" in item.get("data", {}):
            parts.append(item["data"]["text/plain"] + "\n")
    return "".join(parts)


def _clear(output) -> None:
    output.outputs = ()  # not clear_output(): that needs a running kernel and routes through stdout


def _text_models(client, frame):
    if frame is not None:
        return frame
    from . import models

    control = clients.control_client(region=client.meta.region_name)
    return models.models_frame(control, byOutputModality="TEXT")


def _stops(text: str) -> list[str]:
    """Stop sequences typed as a comma-separated list ('END, ###')."""
    return [part.strip() for part in text.split(",") if part.strip()]


class _Shown:
    """Displays as its `ui` in JupyterLab; as one stable line of text elsewhere. nbval skips the
    widget-view output (its model id is random) and compares this line, so stored outputs stay stable."""

    ui = None

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.ui._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = f"{type(self).__name__}: interactive controls (open in JupyterLab to use them)"
        return bundle


class Playground(_Shown):
    """Model picker, prompts, inference settings, an attachment, a sample tool and guardrail, Send / Stream,
    and after each run the stop reason, tokens, estimated cost and latency, and what the guardrail did;
    the exact request; a history of runs. `control` (a `bedrock` client in the same account and Region as
    `client`) finds or creates the sample guardrails; one is made from `client`'s Region when first needed."""

    def __init__(
        self,
        client=None,
        frame=None,
        model_id: str | None = None,
        prompt: str = "",
        system: str = "",
        history_csv: str = "playground_history.csv",
        control=None,
    ):
        import ipywidgets as w

        self.client = client or clients.runtime_client()
        self.region = self.client.meta.region_name
        self._control = control
        self.frame = _text_models(self.client, frame)
        self.messages: list[dict] = []
        self.rows: list[dict] = []
        self.last_result: dict | None = None
        wide = w.Layout(width="95%")
        label = {"description_width": "initial"}
        auto = w.Layout(width="auto")

        self.model = w.Dropdown(description="Model", layout=wide)
        self.system = w.Textarea(
            value=system,
            description="System",
            placeholder="Optional: who the model should be",
            layout=w.Layout(width="95%", height="50px"),
        )
        self.prompt = w.Textarea(
            value=prompt,
            description="Prompt",
            placeholder="What do you want to ask?",
            layout=w.Layout(width="95%", height="80px"),
        )
        self.temperature = w.FloatSlider(description="temperature", value=0.5, min=0, max=1, step=0.05, style=label)
        self.top_p = w.FloatSlider(description="topP", value=0.9, min=0, max=1, step=0.05, style=label)
        # Off by default: Claude Haiku 4.5, Sonnet 4.5+ and Opus 4.1+ refuse temperature together with topP.
        self.send_top_p = w.Checkbox(description="send topP", value=False, indent=False)
        self.max_tokens = w.BoundedIntText(
            description="maxTokens", value=512, min=1, max=32000, style=label, layout=w.Layout(width="180px")
        )
        self.stop = w.Text(description="stopSequences", placeholder="comma-separated: END, ###", style=label)
        self.top_k = w.BoundedIntText(
            description="top_k",
            value=0,
            min=0,
            max=500,
            style=label,
            layout=w.Layout(width="160px"),
            tooltip="0 = the model's default (not sent)",
        )
        self.sample = w.Dropdown(description="Attach", options=[NO_ATTACHMENT, *playground.sample_files()])
        self.tool = w.Dropdown(description="Tool", options=[playground.NO_TOOL, *playground.SAMPLE_TOOLS])
        # no model filtering: every text model takes a guardrail offline (see playground.SAMPLE_GUARDRAILS)
        self.guardrail = w.Dropdown(
            description="Guardrail", options=[playground.NO_GUARDRAIL, *playground.SAMPLE_GUARDRAILS], style=label
        )
        self.upload = w.FileUpload(description="Upload file", accept=UPLOAD_ACCEPT, multiple=False)
        self.clear_button = w.Button(description="No attachment", icon="times", layout=w.Layout(width="auto"))
        self.continue_chat = w.Checkbox(description="Continue the conversation", value=False, indent=False, layout=auto)
        self.send_button = w.Button(
            description="Send (Converse)", button_style="primary", icon="paper-plane", layout=auto
        )
        self.stream_button = w.Button(
            description="Stream (ConverseStream)", button_style="success", icon="play", layout=auto
        )
        self.reset_button = w.Button(description="Reset conversation", icon="refresh", layout=auto)
        self.turns = w.Label()
        self.answer = w.Output(layout=w.Layout(border="1px solid #ccc", padding="4px", min_height="60px"))
        self.info = w.Output()
        self.request_view = w.Output()
        self.history_view = w.Output()
        self.history_chart = w.Output()  # tokens, cost and latency per run (helpers.plots), beside the table
        history = w.Box([self.history_view, self.history_chart], layout=w.Layout(flex_flow="row wrap"))
        self.request_panel = w.Accordion(
            children=[self.request_view, history], titles=("Request (copy into code)", "History of runs")
        )
        self.csv_path = w.Text(description="CSV", value=history_csv)
        self.save_button = w.Button(description="Save history to CSV", icon="save", layout=auto)
        self.saved = w.Output()

        self.send_button.on_click(lambda _: self.send())
        self.stream_button.on_click(lambda _: self.stream())
        self.reset_button.on_click(lambda _: self.reset())
        self.clear_button.on_click(lambda _: self.clear_attachment())
        self.save_button.on_click(lambda _: self._save_clicked())
        self.model.observe(lambda _: self._model_changed(), names="value")
        self.sample.observe(lambda _: self._sample_chosen(), names="value")
        self.upload.observe(lambda _: self._file_uploaded(), names="value")
        self.system.observe(lambda _: self._refresh_models(), names="value")
        self.tool.observe(lambda _: self._refresh_models(), names="value")

        self._refresh_models(preferred=model_id)
        self._show_turns()
        settings = w.VBox(
            [
                w.HBox([self.temperature, self.top_p, self.send_top_p]),
                w.HBox([self.max_tokens, self.stop, self.top_k]),
            ]
        )
        self.ui = w.VBox(
            [
                self.model,
                self.system,
                self.prompt,
                settings,
                w.HBox([self.sample, self.upload, self.clear_button]),
                w.HBox([self.tool, self.guardrail]),
                w.HBox([self.send_button, self.stream_button, self.continue_chat, self.reset_button]),
                self.turns,
                self.answer,
                self.info,
                self.request_panel,
                w.HBox([self.csv_path, self.save_button]),
                self.saved,
            ]
        )

    # ---- inputs ----------------------------------------------------------------------------------------
    def _upload_file(self):
        value = self.upload.value
        return value[0] if value else None

    def attachment(self) -> tuple[dict | None, str | None]:
        """(content block, the Python expression that reads its bytes) for the chosen file, if any."""
        uploaded = self._upload_file()
        if uploaded is not None:
            data = bytes(uploaded["content"])
            block = playground.attachment_block(uploaded["name"], data)
            return block, f"open({uploaded['name']!r}, 'rb').read()"
        if self.sample.value != NO_ATTACHMENT:
            path = playground.SAMPLES / self.sample.value
            return playground.sample_block(self.sample.value), playground.read_expression(path)
        return None, None

    def _attachment_name(self) -> str | None:
        uploaded = self._upload_file()
        if uploaded is not None:
            return uploaded["name"]
        return None if self.sample.value == NO_ATTACHMENT else self.sample.value

    def _sample_chosen(self) -> None:
        """One attachment at a time: a chosen sample replaces an uploaded file, and the reverse."""
        if self.sample.value != NO_ATTACHMENT and self.upload.value:
            self.upload.value = ()
        self._refresh_models()

    def _file_uploaded(self) -> None:
        if self.upload.value and self.sample.value != NO_ATTACHMENT:
            self.sample.value = NO_ATTACHMENT
        self._refresh_models()

    def clear_attachment(self) -> None:
        self.upload.value = ()
        self.sample.value = NO_ATTACHMENT

    def _refresh_models(self, preferred: str | None = None) -> None:
        """Offer only the models that can take what is attached and the system prompt."""
        kind = playground.attachment_kind(self._attachment_name())
        wanted = playground.needs(kind, self.system.value, tool=self._tool() is not None)
        choices = playground.model_choices(self.frame, self.region, **wanted)
        keep = preferred or self.model.value
        self.model.options = choices
        ids = [value for _, value in choices]
        if keep in ids:
            self.model.value = keep
        elif ids:
            self.model.value = ids[0]
        self._model_changed()

    def _tool(self) -> str | None:
        return None if self.tool.value == playground.NO_TOOL else self.tool.value

    @property
    def control(self):
        """The `bedrock` client that finds or creates the sample guardrails (made on first use)."""
        if self._control is None:
            self._control = clients.control_client(region=self.region)
        return self._control

    def _guardrail(self) -> dict | None:
        """{guardrailIdentifier, guardrailVersion} of the chosen sample guardrail (created on first use)."""
        if self.guardrail.value == playground.NO_GUARDRAIL:
            return None
        return playground.sample_guardrail(self.control, self.guardrail.value)

    def _model_changed(self) -> None:
        fields = playground.top_k_fields(self.model.value, 1) if self.model.value is not None else None
        self.top_k.layout.display = None if fields else "none"
        if fields:  # each family's own spelling: Claude's top_k, Nova's inferenceConfig.topK
            self.top_k.description = "top_k" if "top_k" in fields else "topK"
        for button in (self.send_button, self.stream_button):
            button.disabled = self.model.value is None

    def request(self) -> tuple[dict, dict[int, str]]:
        """The Converse request the current settings make, and how its attachment bytes are read. A chosen
        sample guardrail is found in the account, or created there, to put its id in the request."""
        if self.model.value is None:
            raise ValueError("No model offers what this request needs (see the attachment and system prompt).")
        block, expression = self.attachment()
        top_k = self.top_k.value if self.top_k.value and playground.accepts_top_k(self.model.value) else None
        request = playground.build_request(
            self.model.value,
            self.prompt.value,
            system=self.system.value,
            temperature=round(self.temperature.value, 2),
            top_p=round(self.top_p.value, 2) if self.send_top_p.value else None,
            max_tokens=self.max_tokens.value,
            stop_sequences=_stops(self.stop.value),
            top_k=top_k,
            attachment=block,
            history=self.messages if self.continue_chat.value else [],
            tool=self._tool(),
            guardrail=self._guardrail(),
        )
        sources = {}
        if block is not None:
            sources[id(next(iter(block.values()))["source"]["bytes"])] = expression
        return request, sources

    # ---- actions ---------------------------------------------------------------------------------------
    def send(self) -> dict:
        """Converse with the current settings (what the Send button does)."""
        return self._run(stream=False)

    def stream(self) -> dict:
        """ConverseStream, the answer appearing piece by piece (what the Stream button does)."""
        return self._run(stream=True)

    def _run(self, stream: bool) -> dict:
        for output in (self.answer, self.info, self.request_view):
            _clear(output)
        try:
            request, sources = self.request()
        except (ValueError, ClientError, BotoCoreError, guardrails.GuardrailNotReady) as error:  # input, or guardrail
            self.info.append_stdout(playground.explain_error(error) + "\n")
            return {"error": str(error)}
        self.request_view.append_stdout(playground.request_code(request, sources) + "\n")
        buttons = (self.send_button, self.stream_button)
        for button in buttons:
            button.disabled = True
        try:
            result = playground.run(self.client, request, stream=stream, on_text=self.answer.append_stdout)
        finally:
            for button in buttons:
                button.disabled = False
        if not stream and result["text"]:
            self.answer.append_stdout(result["text"])
        self.info.append_stdout(playground.report(result) + "\n")
        self.rows.append(playground.history_row(len(self.rows) + 1, request, result))
        self._show_history()
        if result["message"] is not None and result["text"].strip():
            self.messages = [*request["messages"], result["message"]]
        self.last_result = result
        self._show_turns()
        return result

    def reset(self) -> None:
        """Forget the conversation (the settings and the history of runs stay)."""
        self.messages = []
        for output in (self.answer, self.info):
            _clear(output)
        self._show_turns()

    def _show_turns(self) -> None:
        self.turns.value = f"conversation: {len(self.messages)} messages"

    # ---- history ---------------------------------------------------------------------------------------
    def history(self):
        """Every run so far as a pandas DataFrame (one row per run)."""
        import pandas as pd

        return pd.DataFrame(self.rows)

    def _show_history(self) -> None:
        """The table of runs and, beside it, the chart of their tokens, cost and latency."""
        from . import plots

        frame = self.history()
        _clear(self.history_view)
        self.history_view.append_display_data(frame[HISTORY_SHOWN])
        _clear(self.history_chart)
        self.history_chart.append_display_data(plots.run_history(frame))

    def save_history(self, path: str | Path) -> Path:
        """Write the history as CSV; returns the path written."""
        path = Path(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(f"the folder {path.parent.name!r} does not exist")
        self.history().to_csv(path, index=False)
        return path

    def _save_clicked(self) -> None:
        _clear(self.saved)
        try:
            path = self.save_history(self.csv_path.value)
        except OSError as error:
            self.saved.append_stdout(f"Could not save: {error.strerror or error}.\n")
            return
        self.saved.append_stdout(f"Saved {len(self.rows)} run(s) to {path.name}\n")


class Compare(_Shown):
    """One prompt, two or three models side by side (each answer streamed into its own column)."""

    def __init__(self, client=None, model_ids=(), frame=None):
        import ipywidgets as w

        self.client = client or clients.runtime_client()
        self.region = self.client.meta.region_name
        choices = playground.model_choices(_text_models(self.client, frame), self.region)
        ids = [value for _, value in choices]
        base = models.base_model_id  # any geography's profile (us., global., ...) of a listed model is that model
        offered = {base(i) for i in ids}
        unknown = [m for m in model_ids if base(m) not in offered]
        if unknown:
            raise ValueError(f"Not a text model in {self.region}: {unknown}; choose from {ids}.")
        if not 2 <= len(model_ids or ids[:2]) <= 3:
            raise ValueError("Compare two or three models.")
        # the dropdowns offer this region's ids; a pick made with another geography's id selects its model
        picks = [next(i for i in ids if base(i) == base(m)) for m in (model_ids or ids[:2])]
        self.system = w.Textarea(description="System", layout=w.Layout(width="95%", height="40px"))
        self.prompt = w.Textarea(description="Prompt", layout=w.Layout(width="95%", height="60px"))
        self.temperature = w.FloatSlider(description="temperature", value=0.5, min=0, max=1, step=0.05)
        self.max_tokens = w.BoundedIntText(description="maxTokens", value=512, min=1, max=32000)
        self.pickers = [
            w.Dropdown(
                options=[("(none)", None), *choices] if i == 2 else choices, value=picks[i] if i < len(picks) else None
            )
            for i in range(3)
        ]
        self.answers = [w.Output(layout=w.Layout(border="1px solid #ccc", padding="4px")) for _ in range(3)]
        self.infos = [w.Output() for _ in range(3)]
        self.send_button = w.Button(description="Send to all", button_style="primary", icon="columns")
        self.send_button.on_click(lambda _: self.send())
        columns = [
            w.VBox([p, a, i], layout=w.Layout(width="33%")) for p, a, i in zip(self.pickers, self.answers, self.infos)
        ]
        self.ui = w.VBox(
            [self.system, self.prompt, w.HBox([self.temperature, self.max_tokens]), self.send_button, w.HBox(columns)]
        )

    def send(self) -> list[dict]:
        """Stream the same request to every chosen model, one after the other."""
        results = []
        for picker, answer, info in zip(self.pickers, self.answers, self.infos):
            _clear(answer)
            _clear(info)
            if picker.value is None:
                continue
            try:
                request = playground.build_request(
                    picker.value,
                    self.prompt.value,
                    system=self.system.value,
                    temperature=round(self.temperature.value, 2),
                    max_tokens=self.max_tokens.value,
                )
            except ValueError as error:
                info.append_stdout(playground.explain_error(error) + "\n")
                results.append({"model": picker.value, "error": str(error)})
                continue
            result = playground.run(self.client, request, stream=True, on_text=answer.append_stdout)
            info.append_stdout(playground.report(result) + "\n")
            results.append(result)
        return results


__all__ = ["Playground", "Compare", "output_text"]
