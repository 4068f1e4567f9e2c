from html.parser import HTMLParser

from django import forms

from core.forms import ListSelect


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted(attrs, key=lambda a: a[0])))

    def handle_endtag(self, tag):
        self.items.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data.strip()))


def _parsed(html):
    parser = _Markup()
    parser.feed(html)
    return parser.items


def test_list_select_renders_the_same_markup_as_djangos_select():
    choices = [
        ("", "Alle"),
        ("A", 'Land- <und> Forst & "Fischerei"'),
        ("Gruppe", [("b1", "B1"), ("b2", "B2")]),
    ]
    attrs = {"id": "id_sector", "class": "wide", "aria-describedby": "help"}
    for value in ["b2", "A", "", None]:
        expected = forms.Select(choices=choices, attrs=attrs).render("sector", value)
        rendered = ListSelect(choices=choices, attrs=attrs).render("sector", value)
        assert _parsed(rendered) == _parsed(expected)
    assert "&lt;und&gt;" in ListSelect(choices=choices).render("sector", "")
