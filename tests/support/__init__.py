"""Helpers the tests share: paths of the checkout (``paths``), heavy-test switches (``heavy``), the Hub
double (``hub_double``) and the headless-Chromium driver (``browser``)."""
