/** The `start` command's spec options for commander: one per field of START_FLAG_FIELDS (the dashboard's form shows the same list). */
import { Option, type Command } from "commander";
import type { SpecField } from "../engine/monitor/spec-fields.js";
import { START_FLAG_FIELDS } from "./start-flag-fields.js";

/** The `<value>` placeholder and help of a field's flag, for `start --help`. */
function flagSyntax(field: SpecField): { usage: string; help: string } {
  const kindNote = field.kind ? `${field.kind}: ` : "";
  const defaultNote = field.default === undefined || field.type === "boolean" ? "" : ` (default ${Array.isArray(field.default) ? field.default.join(",") : String(field.default)})`;
  const choices = field.choices ? ` [${field.choices.join(field.type === "list" ? "," : "|")}]` : "";
  const help = `${kindNote}${field.help}${choices}${defaultNote}`;
  switch (field.type) {
    case "boolean":
      return { usage: field.flag, help };
    case "number":
      return { usage: `${field.flag} <${field.path.endsWith("Seconds") ? "seconds" : "n"}>`, help };
    case "map":
      return { usage: `${field.flag} <key=value>`, help };
    case "list":
      return { usage: `${field.flag} <a,b>`, help };
    default:
      return { usage: `${field.flag} <value>`, help };
  }
}

export function addSpecFieldOptions(command: Command): void {
  for (const field of START_FLAG_FIELDS) {
    const { usage, help } = flagSyntax(field);
    const option = new Option(usage, help);
    if (field.type === "map" || field.type === "list") option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    command.addOption(option);
  }
}
