// Reads one iCalendar file on stdin with Mozilla's ical.js (Thunderbird's parser) and prints
// every VEVENT as JSON: {uid, sequence, start, end} with start and end as UTC instants.
import ICAL from "ical.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;
const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const utc = (time) => time.toJSDate().toISOString();
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    sequence: event.sequence,
    start: utc(event.startDate),
    end: utc(event.endDate),
  };
});
process.stdout.write(JSON.stringify(events));
