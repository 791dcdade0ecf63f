"""Feeds end to end: issued through the API, fetched at their secret URL, read with icalendar and ical.js.

World (tests/api/conftest.py): published roster 2027-03-01..03 of centre CT, where OF1 (the officer account's
person) has CA on 03-01 (duty, with AS1 assisting) and TA on 03-03; OF2 is the director's person; the liaison sees CA.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from duty_roster.calendar.feeds import FeedOptions, FeedSpec, build
from duty_roster.extensions import db
from duty_roster.models import FeedKind, Roster, RosterStatus, Shift
from duty_roster.rostering.publish import publish
from tests.api.conftest import PERIOD, World, hand_roster, location, person, standard_plan
from tests.calendar.conftest import events, fetch, issue, parse, path_of, read_with_icaljs

pytestmark = pytest.mark.db
D1, D2, D3 = PERIOD[0], date(2027, 3, 2), PERIOD[1]


def vevents(body: bytes) -> dict[str, bytes]:
    """UID -> the VEVENT's raw bytes, to compare events exactly."""
    out = {}
    for chunk in body.split(b"BEGIN:VEVENT\r\n")[1:]:
        raw = chunk.split(b"END:VEVENT\r\n")[0]
        uid = next(line for line in raw.split(b"\r\n") if line.startswith(b"UID:"))[4:].decode()
        out[uid] = raw
    return out


def shift_id(world: World, code: str, day: date) -> int:
    return db.session.scalars(sa.select(Shift.id).where(
        Shift.location_id == location(db.session, world.ct.centre, code).id, Shift.day == day)).one()


def republish(world: World, plan: list[tuple[str, str, date, str]]) -> Roster:
    """A new version of the period with `plan`, published over the current one."""
    session = db.session
    current = session.scalars(sa.select(Roster).where(Roster.centre_id == world.ct.centre.id,
                                                      Roster.status == RosterStatus.PUBLISHED)).one()
    roster = hand_roster(session, world.ct.centre, plan)
    publish(session, roster, now=current.published_at + timedelta(hours=2))
    session.commit()
    return roster


def test_person_feed_has_my_shifts_only_at_the_right_instants(world: World) -> None:
    feed = issue(world, "officer", kind="person", alarm_minutes=90)
    assert feed["links"]["webcal"].startswith("webcal://") and feed["links"]["url"].startswith("http")
    assert feed["links"]["webcal"].split("://")[1] == feed["links"]["url"].split("://")[1]
    response = fetch(world, feed)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "no-cache" in response.headers["Cache-Control"]
    cal = parse(response.data)
    assert str(cal["X-WR-CALNAME"]) == "Lịch trực – Nguyễn Văn An"
    got = events(response.data)
    of1 = world.ct.ids["person"]
    assert set(got) == {f"shift-{shift_id(world, 'CA', D1)}-person-{of1}@127.0.0.1",
                        f"shift-{shift_id(world, 'TA', D3)}-person-{of1}@127.0.0.1"}
    ca = got[f"shift-{shift_id(world, 'CA', D1)}-person-{of1}@127.0.0.1"]
    assert ca.DTSTART.astimezone(UTC) == datetime(2027, 3, 1, 0, 30, tzinfo=UTC)  # 07:30 in Hồ Chí Minh City
    assert ca.DTEND.astimezone(UTC) == datetime(2027, 3, 2, 0, 30, tzinfo=UTC)
    assert str(ca["SUMMARY"]) == "Trực chính TGPL – Cơ quan Cảnh sát điều tra (Trực 24 giờ)"
    assert int(ca["SEQUENCE"]) == 0 and str(ca["STATUS"]) == "CONFIRMED"
    assert [a.TRIGGER for a in ca.walk("VALARM")] == [timedelta(minutes=-90)]
    text = response.get_data(as_text=True)
    assert "BEGIN:VTIMEZONE" in text and "Trần Thị Bình" not in text and "Lê Văn Cường" not in text


def test_location_feed_says_who_is_on_duty_with_phones(world: World) -> None:
    feed = issue(world, "liaison", kind="location", location="CA")
    body = fetch(world, feed).data
    got = {ev.DTSTART.date(): ev for ev in events(body).values()}
    assert set(got) == {D1, D2, D3}
    first = got[D1]
    assert str(first["SUMMARY"]) == "Trực TGPL: Nguyễn Văn An, Phạm Thị Dung (Hỗ trợ trực)"
    description = str(first["DESCRIPTION"])
    assert "Trực chính: Nguyễn Văn An – ĐT +84912345671" in description
    assert "Hỗ trợ trực: Phạm Thị Dung – ĐT +84912345674" in description
    assert "Cơ quan Cảnh sát điều tra" in str(first["LOCATION"])
    assert str(first["UID"]) == f"shift-{shift_id(world, 'CA', D1)}-location@127.0.0.1"


def test_centre_feed_has_every_published_shift_and_no_draft(world: World) -> None:
    feed = issue(world, "director", kind="centre")
    got = events(fetch(world, feed).data)
    assert len(got) == 6  # CA and TA on three days: the published version, not the draft
    summaries = sorted(str(ev["SUMMARY"]) for ev in got.values())
    assert summaries[0].startswith("Cơ quan Cảnh sát điều tra – Trực TGPL: ")
    assert all("Hậu Giang" not in s for s in summaries)


@pytest.mark.parametrize(("role", "body"), [
    ("officer", {"kind": "person"}), ("liaison", {"kind": "location", "location": "CA"}),
    ("director", {"kind": "centre"}),
])
def test_every_feed_kind_reads_right_in_icaljs(world: World, icaljs: Path, role: str, body: dict[str, Any]) -> None:
    raw = fetch(world, issue(world, role, **body)).data
    seen = read_with_icaljs(icaljs, raw)
    assert seen["refresh"] == {"type": "duration", "value": "PT1H"} and seen["ttl"] == "PT1H"
    assert seen["timezones"] == ["Asia/Ho_Chi_Minh"]
    shifts = {s.id: s for s in db.session.scalars(sa.select(Shift))}
    assert seen["events"]
    for ev in seen["events"]:
        shift = shifts[int(ev["uid"].split("-")[1])]
        assert ev["start"] == shift.start_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert ev["end"] == shift.end_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert ev["tzid"] == "Asia/Ho_Chi_Minh" and ev["status"] == "CONFIRMED" and ev["sequence"] == 0
        assert "TGPL" in ev["summary"]
    starts = {ev["start"] for ev in seen["events"]}
    assert "2027-03-01T00:30:00.000Z" in starts  # 07:30 +07:00


def test_republishing_one_changed_shift_changes_exactly_that_event(world: World) -> None:
    feed = issue(world, "coordinator", kind="location", location="TA")
    before = vevents(fetch(world, feed).data)
    plan = [row for row in standard_plan() if row[:3] != ("TA", "LS1", D2)] + [("TA", "LS2", D2, "duty")]
    republish(world, plan)
    after_body = fetch(world, feed).data
    after = vevents(after_body)
    changed = f"shift-{shift_id(world, 'TA', D2)}-location@127.0.0.1"
    assert set(after) == set(before)
    assert {uid for uid in after if after[uid] != before[uid]} == {changed}
    ev = events(after_body)[changed]
    assert int(ev["SEQUENCE"]) == 1 and "Đỗ Văn Giang" in str(ev["SUMMARY"])
    assert int(events(after_body)[f"shift-{shift_id(world, 'TA', D1)}-location@127.0.0.1"]["SEQUENCE"]) == 0


def test_a_removed_shift_comes_back_cancelled_for_the_configured_days(world: World, icaljs: Path) -> None:
    feed = issue(world, "officer", kind="person")
    plan = [row for row in standard_plan() if row[:3] != ("CA", "OF1", D1)] + [("CA", "LS2", D1, "duty")]
    cancelled_at = republish(world, plan).published_at  # 2 h after the first version: maybe tomorrow, locally
    body = fetch(world, feed).data
    uid = f"shift-{shift_id(world, 'CA', D1)}-person-{world.ct.ids['person']}@127.0.0.1"
    ev = events(body)[uid]
    assert str(ev["STATUS"]) == "CANCELLED" and int(ev["SEQUENCE"]) == 1
    assert str(ev["SUMMARY"]).startswith("Đã hủy – ")
    seen = {e["uid"]: e for e in read_with_icaljs(icaljs, body)["events"]}
    assert seen[uid]["status"] == "CANCELLED" and seen[uid]["start"] == "2027-03-01T00:30:00.000Z"

    settings = world.app.config["SETTINGS"]
    options = FeedOptions(base_url=settings.PUBLIC_BASE_URL, cancelled_days=settings.FEED_CANCELLED_DAYS)
    spec = FeedSpec(world.ct.centre.id, FeedKind.PERSON, world.ct.ids["person"])
    assert settings.FEED_CANCELLED_DAYS == 30
    assert cancelled_at is not None
    soon = build(db.session, spec, options, cancelled_at + timedelta(days=29))
    later = build(db.session, spec, options, cancelled_at + timedelta(days=31))
    assert uid in events(soon) and uid not in events(later)
    assert len(events(later)) == 1  # TA on 03-03 is still OF1's


def test_unchanged_feed_is_byte_identical_and_conditional_fetches_get_304(world: World) -> None:
    feed = issue(world, "director", kind="centre")
    first, second = fetch(world, feed), fetch(world, feed)
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    not_modified = fetch(world, feed, **{"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    since = fetch(world, feed, **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    republish(world, standard_plan()[1:])
    changed = fetch(world, feed, **{"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.data != first.data


def test_a_persons_token_never_returns_another_persons_feed(world: World) -> None:
    mine = issue(world, "officer", kind="person")
    theirs = issue(world, "director", kind="person")  # the director's own person, OF2
    mine_body, theirs_body = fetch(world, mine).data, fetch(world, theirs).data
    of1, of2 = world.ct.ids["person"], world.ct.ids["other_person"]
    assert all(uid.endswith(f"-person-{of1}@127.0.0.1") for uid in events(mine_body))
    assert all(uid.endswith(f"-person-{of2}@127.0.0.1") for uid in events(theirs_body))
    assert "Trần Thị Bình" not in mine_body.decode() and "Nguyễn Văn An" not in theirs_body.decode()
    refused = world.post("officer", "/api/v1/feeds", json={"kind": "person", "person": "OF2"})
    assert refused.status_code == 403
    assert world.post("liaison", "/api/v1/feeds", json={"kind": "person"}).status_code == 403
    assert world.post("officer", "/api/v1/feeds", json={"kind": "centre"}).status_code == 403
    assert world.post("liaison", "/api/v1/feeds", json={"kind": "location", "location": "TA"}).status_code == 404
    assert world.post("director", "/api/v1/feeds", json={"kind": "location", "location": "HG-CA"}).status_code == 404


def test_revoked_reissued_and_unknown_tokens_are_404(world: World) -> None:
    feed = issue(world, "officer", kind="person")
    assert fetch(world, feed).status_code == 200
    again = issue(world, "officer", kind="person")  # re-issue: the old link dies
    assert fetch(world, feed).status_code == 404 and fetch(world, again).status_code == 200
    listed = world.get("officer", "/api/v1/feeds").get_json()["items"]
    assert [item["id"] for item in listed] == [again["id"]] and listed[0]["links"] == again["links"]
    assert world.delete("liaison", f"/api/v1/feeds/{again['id']}").status_code == 404  # not theirs
    assert world.delete("admin", f"/api/v1/feeds/{again['id']}").status_code == 403
    assert world.delete(None, f"/api/v1/feeds/{again['id']}").status_code == 401
    assert world.delete("hg_director", f"/api/v1/feeds/{again['id']}").status_code == 404  # another centre
    assert world.delete("officer", f"/api/v1/feeds/{again['id']}").status_code == 204
    assert fetch(world, again).status_code == 404
    assert world.delete("officer", f"/api/v1/feeds/{again['id']}").status_code == 404
    assert world.get("officer", "/api/v1/feeds").get_json()["items"] == []
    other = issue(world, "officer", kind="location", location="TA")
    assert world.delete("coordinator", f"/api/v1/feeds/{other['id']}").status_code == 204  # managers may revoke
    for bogus in ("fd_" + "A" * 43, "nope", path_of(other).split("/")[-1][:-4][:-1] + "x"):
        assert world.client.get(f"/feeds/{bogus}.ics").status_code == 404


def test_single_shift_download(world: World) -> None:
    sid = shift_id(world, "CA", D1)
    response = world.get("officer", f"/api/v1/shifts/{sid}.ics")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    got = events(response.data)
    assert list(got) == [f"shift-{sid}-location@127.0.0.1"]
    assert 'filename="ca-truc-' in response.headers["Content-Disposition"]
    assert world.get("officer", f"/api/v1/shifts/{sid}.ics",
                     headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    ta = shift_id(world, "TA", D1)
    assert world.get("liaison", f"/api/v1/shifts/{ta}.ics").status_code == 404  # not the liaison's location


def test_feed_of_a_deleted_person_is_404(world: World) -> None:
    feed = issue(world, "director", kind="location", location="TA")
    db.session.delete(location(db.session, world.ct.centre, "TA"))
    db.session.commit()
    assert fetch(world, feed).status_code == 404


def test_cli_issue_and_revoke(world: World) -> None:
    runner: FlaskCliRunner = world.app.test_cli_runner()
    result = runner.invoke(args=["feed", "issue", "CT", "location", "CA", "--user", "liaison"])
    assert result.exit_code == 0, result.output
    url, webcal = result.stdout.strip().splitlines()[-2:]
    assert webcal.startswith("webcal://") and url.startswith("http://127.0.0.1:5000/feeds/fd_")
    path = "/feeds/" + url.split("/feeds/")[1]
    assert world.client.get(path).status_code == 200
    assert [item["kind"] for item in world.get("liaison", "/api/v1/feeds").get_json()["items"]] == ["location"]
    listed = runner.invoke(args=["feed", "list", "CT"])
    feed_id = next(line.split()[0] for line in listed.stdout.splitlines() if "\tlocation\t" in line)
    assert runner.invoke(args=["feed", "revoke", feed_id]).exit_code == 0
    assert world.client.get(path).status_code == 404
    bad = runner.invoke(args=["feed", "issue", "CT", "person", "NOPE"])
    assert bad.exit_code == 1 and "no person with code 'NOPE'" in bad.output
    assert runner.invoke(args=["feed", "issue", "CT", "centre", "--alarm-minutes", "5"]).exit_code == 2
    assert person(db.session, world.ct.centre, "OF1").id == world.ct.ids["person"]


def test_window_keeps_60_days_back(world: World) -> None:
    settings = world.app.config["SETTINGS"]
    options = FeedOptions(base_url=settings.PUBLIC_BASE_URL, window_past_days=settings.FEED_WINDOW_PAST_DAYS)
    spec = FeedSpec(world.ct.centre.id, FeedKind.CENTRE, world.ct.centre.id)
    assert settings.FEED_WINDOW_PAST_DAYS == 60
    inside = datetime(2027, 5, 1, 12, tzinfo=UTC)  # the window starts 03-02 (60 days back)
    outside = datetime(2027, 5, 3, 12, tzinfo=UTC)  # the window starts 03-04
    kept = events(build(db.session, spec, options, inside))
    assert sorted(ev.DTSTART.date() for ev in kept.values()) == [D2, D2, D3, D3]  # CA and TA on 03-02, 03-03
    assert events(build(db.session, spec, options, outside)) == {}
    assert dataclasses.replace(options, window_past_days=100) != options


def test_a_liaison_moved_off_the_location_or_deactivated_loses_the_feed(world: World) -> None:
    from duty_roster.models import User

    feed = issue(world, "liaison", kind="location", location="CA")
    officer_feed = issue(world, "officer", kind="person")
    assert fetch(world, feed).status_code == 200
    liaison = db.session.scalars(sa.select(User).where(User.username == "liaison")).one()
    liaison.locations = [location(db.session, world.ct.centre, "TA")]
    officer = db.session.scalars(sa.select(User).where(User.username == "officer")).one()
    officer.active = False
    db.session.commit()
    assert fetch(world, feed).status_code == 404
    assert fetch(world, officer_feed).status_code == 404
