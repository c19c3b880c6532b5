"""The command palette's provider: one command per binding of the current screen (see bindings.py), things to
do before cursor moves."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from foia_tui.app.bindings import BindingEntry, actions_first, binding_catalogue


class BindingCommands(Provider):
    """Every action reachable by a key, runnable by name."""

    def _entries(self) -> list[BindingEntry]:
        return actions_first(binding_catalogue(self.screen))

    def _run(self, entry: BindingEntry):
        return partial(self.app.run_action, entry.action, entry.namespace)

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.description, self._run(entry), help=f"{entry.keys} · {entry.area}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            text = f"{entry.description} ({entry.area})"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), self._run(entry), help=f"key: {entry.keys}")
