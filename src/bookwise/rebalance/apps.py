from django.apps import AppConfig

LABELS = {
    "rebalance.propose": "Rebalance proposed",
    "rebalance.remove_line": "Rebalance move removed",
    "rebalance.edit_line": "Rebalance move given to another rep",
    "rebalance.commit": "Rebalance committed",
    "rebalance.discard": "Rebalance discarded",
    "rebalance.pin": "Account pinned out of realignment",
    "rebalance.unpin": "Account pin out of realignment removed",
}


class RebalanceConfig(AppConfig):
    name = "bookwise.rebalance"
    label = "rebalance"
    verbose_name = "Rebalance"

    def ready(self) -> None:
        from bookwise.core.audit_labels import ACTION_LABELS

        ACTION_LABELS.update(LABELS)
