"""The Redfish collector against the DMTF mockups served URL for URL on loopback (basic and session auth), and
its failures: wrong credentials, an untrusted certificate, a service that does not answer."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from collectors.redfish.client import Credentials, HttpTransport, RedfishError
from collectors.redfish.walk import walk
from tests.integration.redfish_loopback import RedfishMockup

pytestmark = pytest.mark.integration
PASSWORD = "s3cret-pw"


def _mockup(shared_data: Path, name: str) -> Path:
    return shared_data / "redfish" / "mockups" / name


def test_pdu_mains_circuits_outlets_and_dangling_links(shared_data: Path) -> None:
    with RedfishMockup(_mockup(shared_data, "public-pdu")) as svc:
        t = HttpTransport(svc.endpoint, credentials=Credentials("admin", PASSWORD), auth="basic")
        w = walk(t)
        t.close()
    power = {(r.kind, r.circuit): r.value for r in w.readings if r.metric == "power_w"}
    assert power[("mains", "AC1")] == pytest.approx(2734.8)  # Σ of the three-phase line readings
    assert {c for k, c in power if k == "branch"} == {"A", "B", "C"}
    assert len([1 for k, _ in power if k == "outlet"]) == 9  # 11 outlets, two without a power reading
    assert power[("pdu_total", None)] == 6438
    dangling = {p.uri for p in w.problems if p.problem == "dangling_link"}
    assert "/redfish/v1/Chassis/PDU/Sensors/PDUEnergy" in dangling and len(dangling) == 8
    assert any(p.problem == "sensor_disagrees" and "A1" in p.uri for p in w.problems)


def test_chassis_power_old_and_new_schemas_through_a_session(shared_data: Path) -> None:
    with RedfishMockup(_mockup(shared_data, "public-rackmount1")) as svc:
        t = HttpTransport(svc.endpoint, credentials=Credentials("admin", PASSWORD), auth="session")
        w = walk(t)
        t.close()
        assert ("POST", "/redfish/v1/SessionService/Sessions") in svc.requests
        assert svc.requests[-1][0] == "DELETE" and not svc.tokens  # the session is ended
    got = {(r.kind, r.metric): r.value for r in w.readings}
    assert got[("chassis", "power_w")] == 344 and got[("environment", "power_w")] == 374
    assert ("psu", "power_w") in got and ("psu", "energy_kwh") in got
    assert any(p.problem == "sensor_disagrees" for p in w.problems)


def test_metric_reports_with_offsets_become_utc(shared_data: Path) -> None:
    with RedfishMockup(_mockup(shared_data, "public-telemetry")) as svc:
        w = walk(HttpTransport(svc.endpoint, credentials=Credentials("admin", PASSWORD)))
    reports = [r for r in w.readings if r.kind == "metric_report"]
    assert reports and all(r.reading_time is not None for r in reports)
    first = next(r for r in reports if r.circuit == "AvgPlatformPowerUsage")
    assert (first.device, first.value, first.reading_time) == ("Tray_1", 100.0, dt.datetime(2016, 11, 8, 17, 25))


def test_wrong_credentials_are_named_without_the_secret(shared_data: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with RedfishMockup(_mockup(shared_data, "public-pdu")) as svc:
        for auth in ("basic", "session"):
            with pytest.raises(RedfishError) as err:
                walk(HttpTransport(svc.endpoint, credentials=Credentials("admin", "wrong-" + PASSWORD), auth=auth))
            assert svc.endpoint in str(err.value) and "credentials" in str(err.value)
            assert PASSWORD not in str(err.value) and "wrong-" not in str(err.value)
    assert PASSWORD not in caplog.text
    assert "***" in repr(Credentials("admin", PASSWORD)) and PASSWORD not in repr(Credentials("admin", PASSWORD))


def test_untrusted_certificate_fails_unless_its_ca_is_given(shared_data: Path, cert: tuple[Path, Path],
                                                           caplog: pytest.LogCaptureFixture) -> None:
    with RedfishMockup(_mockup(shared_data, "public-rackmount1"), tls=cert) as svc:
        with pytest.raises(RedfishError, match="TLS verification failed") as err:
            walk(HttpTransport(svc.endpoint, credentials=Credentials("admin", PASSWORD), retries=0))
        assert svc.endpoint in str(err.value)
        trusted = walk(HttpTransport(svc.endpoint, credentials=Credentials("admin", PASSWORD), ca_bundle=str(cert[0])))
        assert trusted.readings
        with caplog.at_level(logging.WARNING):
            unverified = walk(HttpTransport(svc.endpoint, credentials=Credentials("admin", PASSWORD),
                                            verify_tls=False))
        assert unverified.readings and "TLS verification is OFF" in caplog.text


def test_a_service_that_does_not_answer_times_out_naming_it(shared_data: Path) -> None:
    with RedfishMockup(_mockup(shared_data, "public-pdu"), delay_s=2.0) as svc:
        with pytest.raises(RedfishError, match=r"did not answer within 0.3 s") as err:
            walk(HttpTransport(svc.endpoint, credentials=Credentials("admin", PASSWORD), timeout_s=0.3, retries=0))
        assert svc.endpoint in str(err.value)
