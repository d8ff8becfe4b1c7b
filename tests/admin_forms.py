"""Reading an admin change form the way a browser would submit it."""


def form_data(client, url):
    """The admin form's current values, as the browser would submit them.

    That includes the hidden ``initial-<name>`` copies Django renders for fields
    with a callable default (``show_hidden_initial``), which ``has_changed`` reads.
    """
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    _put_form(data, form)
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            _put_form(data, inline_form)
    return data


def _put_form(data: dict, form) -> None:
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        _put(data, form.add_prefix(name), field.widget, value)
        if field.show_hidden_initial:
            _put(data, form.add_initial_prefix(name), field.widget, value)


def _put(data: dict, key: str, widget, value) -> None:
    if hasattr(widget, "widgets"):  # a split widget: date and time posted apart
        for n, part in enumerate(widget.decompress(value)):
            data[f"{key}_{n}"] = "" if part is None else str(part)
    elif isinstance(value, (list, tuple)):
        data[key] = [str(v) for v in value]
    elif isinstance(value, bool):
        if value:
            data[key] = "on"
    else:
        data[key] = value
