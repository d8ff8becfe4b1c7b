"""Reading an admin change form the way a browser would submit it."""


def form_data(client, url):
    """The admin form's current values, as the browser would submit them."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        widget = form.fields[name].widget
        if hasattr(widget, "widgets"):  # a split widget: date and time posted apart
            for n, part in enumerate(widget.decompress(value)):
                data[f"{name}_{n}"] = "" if part is None else str(part)
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                key = f"{inline_form.prefix}-{name}"
                if value is None:
                    continue
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                else:
                    data[key] = value
    return data
