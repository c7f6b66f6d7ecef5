// The form for a point's condition (POST …/safety-points/{id}/condition): each status is optional,
// and only those filled in are sent, so a report of the heat alone leaves the power's date alone.
import { command, seg } from "../api/http";
import { m } from "../i18n";
import type { EntityRecord } from "../picture/protocol";
import { h } from "../ui/dom";
import { commandForm, field, number, reasonField, selectField, text, withReason, type Action, type Choice } from "../ui/forms";

type PointRecord = EntityRecord<"SafetyPoint">;

const upDown: Choice[] = [["", "–"], ["true", m.condition.up], ["false", m.condition.down]];
const yesNo: Choice[] = [["", "–"], ["true", m.condition.yes], ["false", m.condition.no]];

function flag(data: FormData, name: string): boolean | null {
  const value = text(data, name);
  return value === "" ? null : value === "true";
}

function optionalNumber(data: FormData, name: string): number | null {
  return text(data, name) === "" ? null : number(data, name);
}

export function conditionAction(record: PointRecord, picture: string): Action {
  const c = m.condition;
  const f = m.conditionForm;
  return {
    command: "ReportSafetyPointCondition",
    label: f.report,
    build: (done, cancel) => commandForm({
      title: `${f.report}: ${record.state.name}`,
      fields: [
        h("p", { class: "hint" }, f.hint),
        h("fieldset", null, h("legend", null, m.attention.statuses.Power),
          selectField(f.source, "source", [["", "–"], ...(Object.entries(c.power) as Choice[])], "", { required: false }),
          field(f.fuelHours, "fuelHours", null, { type: "number", min: 0, max: 720, step: "any" })),
        h("fieldset", null, h("legend", null, m.attention.statuses.Heat),
          field(f.indoorCelsius, "indoorCelsius", null, { type: "number", min: -30, max: 45, step: "any" })),
        h("fieldset", null, h("legend", null, m.attention.statuses.Water),
          selectField(f.source, "waterSource", [["", "–"], ...(Object.entries(c.water) as Choice[])], "", { required: false }),
          field(f.litres, "litres", null, { type: "number", min: 0 })),
        h("fieldset", null, h("legend", null, m.attention.statuses.Communications),
          selectField(c.phone, "phone", upDown, "", { required: false }),
          selectField(c.internet, "internet", upDown, "", { required: false }),
          selectField("Rakel", "rakel", upDown, "", { required: false })),
        field(f.overnightPlaces, "overnightPlaces", null, { type: "number", min: 0 }),
        h("fieldset", null, h("legend", null, m.attention.statuses.Accessibility),
          selectField(c.stepFree, "stepFree", yesNo, "", { required: false }),
          selectField(c.accessibleToilet, "accessibleToilet", yesNo, "", { required: false })),
        h("fieldset", null, h("legend", null, m.attention.statuses.Staffing),
          field(m.point.staff, "staff", null, { type: "number", min: 0 }),
          field(m.point.frgVolunteers, "frgVolunteers", null, { type: "number", min: 0 })),
        reasonField(),
      ],
      request: (data) => {
        const power = text(data, "source");
        const water = text(data, "waterSource");
        const comms = { phone: flag(data, "phone"), internet: flag(data, "internet"), rakel: flag(data, "rakel") };
        const access = { stepFree: flag(data, "stepFree"), accessibleToilet: flag(data, "accessibleToilet") };
        const heat = optionalNumber(data, "indoorCelsius");
        const staff = optionalNumber(data, "staff");
        const frg = optionalNumber(data, "frgVolunteers");
        return command(picture, "POST", `safety-points/${seg(record.id)}/condition`, withReason({
          ...(power ? { power: { source: power, fuelHours: optionalNumber(data, "fuelHours") } } : {}),
          ...(heat !== null ? { heat: { indoorCelsius: heat } } : {}),
          ...(water ? { water: { source: water, litres: optionalNumber(data, "litres") } } : {}),
          ...(Object.values(comms).some((v) => v !== null) ? { communications: comms } : {}),
          ...(optionalNumber(data, "overnightPlaces") !== null ? { overnightPlaces: optionalNumber(data, "overnightPlaces") } : {}),
          ...(Object.values(access).some((v) => v !== null) ? { accessibility: access } : {}),
          ...(staff !== null || frg !== null ? { staffing: { staff, frgVolunteers: frg } } : {}),
        }, data));
      },
      done, cancel,
    }),
  };
}
