"""Load-time checks every raw source returns with its materialization: every row accounted for, the manifest
honoured (where the source has one)."""

import dagster as dg

LOAD_CHECK_NAMES = ("rows_accounted_for", "matches_manifest_row_count")


def load_check_specs(key: dg.AssetKey, blocking: bool = True) -> list[dg.AssetCheckSpec]:
    """The load checks of a billing asset; they block the models downstream (not for a source that is not configured:
    its checks never run, and there is nothing to gate)."""
    return [
        dg.AssetCheckSpec("rows_accounted_for", asset=key, blocking=blocking,
                          description="rows read = rows loaded + rows quarantined (+ rows already loaded)"),
        dg.AssetCheckSpec("matches_manifest_row_count", asset=key, blocking=blocking,
                          description="the delivery's files hold the row count its manifest states (where stated)"),
    ]


def load_check_results(rows_read: int, rows_loaded: int, rows_quarantined: int, manifest_rows: int | None,
                       rows_skipped: int = 0, asset_key: dg.AssetKey | None = None) -> list[dg.AssetCheckResult]:
    return [
        dg.AssetCheckResult(
            asset_key=asset_key, check_name="rows_accounted_for", passed=rows_read == rows_loaded + rows_quarantined + rows_skipped,
            metadata={"rows_read": rows_read, "rows_loaded": rows_loaded, "rows_quarantined": rows_quarantined,
                      "rows_already_loaded": rows_skipped},
        ),
        dg.AssetCheckResult(
            asset_key=asset_key, check_name="matches_manifest_row_count",
            passed=manifest_rows is None or manifest_rows == rows_read,
            metadata={"manifest_row_count": manifest_rows if manifest_rows is not None else "not stated",
                      "rows_read": rows_read},
        ),
    ]
