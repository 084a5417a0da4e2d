"""When derived assets refresh on their own: once an upstream asset (any partition) landed and nothing upstream
is still running. Not ``AutomationCondition.eager()``: its "no dependency missing" clause would wait forever for
billing months before the data begins, since the marts read every partition of their monthly and daily parents."""

import dagster as dg


def refresh_when_upstream_lands() -> dg.AutomationCondition:
    return (
        dg.AutomationCondition.any_deps_updated().since_last_handled()
        & ~dg.AutomationCondition.any_deps_in_progress()
        & ~dg.AutomationCondition.in_progress()
    ).with_label("refresh when upstream lands")
