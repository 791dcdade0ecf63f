// Reads an iCalendar file on stdin with ical.js (Mozilla Thunderbird's parser) and prints what a client would see.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const events = root.getAllSubcomponents("vevent").map((v) => {
  const e = new ICAL.Event(v);
  return {
    uid: e.uid,
    summary: e.summary,
    description: e.description,
    location: e.location,
    start: e.startDate.toJSDate().toISOString(),
    end: e.endDate.toJSDate().toISOString(),
    tzid: e.startDate.zone ? e.startDate.zone.tzid : null,
    sequence: e.sequence,
    status: v.getFirstPropertyValue("status"),
    alarms: v.getAllSubcomponents("valarm").map((a) => a.getFirstPropertyValue("trigger").toString()),
  };
});
const refresh = root.getFirstProperty("refresh-interval");
console.log(JSON.stringify({
  name: root.getFirstPropertyValue("x-wr-calname"),
  refresh: refresh ? { type: refresh.type, value: refresh.getFirstValue().toString() } : null,
  ttl: String(root.getFirstPropertyValue("x-published-ttl")),
  timezones: root.getAllSubcomponents("vtimezone").map((t) => t.getFirstPropertyValue("tzid")),
  events,
}));
