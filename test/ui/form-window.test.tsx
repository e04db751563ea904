/**
 * The form has every field of the schema; at 80×24 it shows a window of them that follows the focus, with the
 * advanced ones (alert webhook, alert outcomes, headers…) after an "advanced" divider.
 */
import { afterEach, expect, it } from "vitest";
import { KEY, renderDashboard, type DashboardHarness } from "../helpers/render.js";
import { formFields } from "../../src/ui/state/form.js";

let h: DashboardHarness | undefined;
afterEach(() => {
  h?.unmount();
  h = undefined;
});

it("at 80×24 the http form scrolls to its advanced fields, within the screen", async () => {
  h = renderDashboard({ columns: 80, rows: 24 });
  h.store.getState().dispatch({ type: "watch", event: { type: "snapshots", upserted: [], removed: [], initial: true } });
  await h.waitFor("No monitors yet");
  await h.press("n");
  await h.waitFor("choose a kind");
  await h.press(KEY.down, KEY.enter);
  const fields = formFields("http");
  const webhook = fields.findIndex((f) => f.path === "alert.webhookUrl");
  await h.waitFor(`(field 1 of ${fields.length})`);
  for (let i = 0; i < webhook; i++) await h.press(KEY.tab);
  const frame = await h.waitFor(`(field ${webhook + 1} of ${fields.length})`);
  expect(frame).toMatch(/› alert webhook/);
  expect(frame).toContain("advanced");
  expect(frame.split("\n").length).toBeLessThanOrEqual(24);
  expect(frame).not.toContain("status URL");
});
