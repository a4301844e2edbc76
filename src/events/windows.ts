// Windows event log records as JSON (`{"Event": {"System": ..., "EventData": ...}}`, as
// evtx tools write them) -> the flat field map Sigma rules are written against.
//
// - System children become fields by name (EventID, Channel, Computer, ...); an element's XML
//   attributes become `<Element>_<Attribute>` (Provider_Name, Execution_ProcessID), as the Sigma
//   specification names them.
// - EventData values become fields by name; UserData's single child element contributes its
//   children the same way.
// - `#attributes` of the data sections themselves and XML namespaces are dropped.

export function isWindowsEvent(value: unknown): value is { Event: Record<string, unknown> } {
  if (!isObject(value) || !isObject(value.Event)) return false;
  return isObject(value.Event.System);
}

export function flattenWindowsEvent(record: { Event: Record<string, unknown> }): Record<string, unknown> {
  const event = record.Event;
  const out: Record<string, unknown> = {};
  const system = event.System as Record<string, unknown>;
  for (const [name, value] of Object.entries(system)) {
    if (isObject(value)) {
      const attributes = value['#attributes'];
      if (isObject(attributes)) for (const [attr, v] of Object.entries(attributes)) out[`${name}_${attr}`] = v;
      if ('#text' in value) out[name] = value['#text'];
    } else out[name] = value;
  }
  addData(event.EventData, out);
  if (isObject(event.UserData)) {
    for (const [name, value] of Object.entries(event.UserData)) {
      if (name === '#attributes') continue;
      if (isObject(value)) addData(value, out);
      else out[name] = value;
    }
  }
  return out;
}

function addData(data: unknown, out: Record<string, unknown>): void {
  if (!isObject(data)) return;
  for (const [name, value] of Object.entries(data)) {
    if (name === '#attributes' || name === 'xmlns') continue;
    out[name] = value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
