/**
 * What the alarms of one resource share: its namespace and dimensions, 5-minute periods, missing data
 * neither a breach nor a recovery, and the topic told both when the alarm fires and when it clears.
 */
export function alarmDefaults(namespace: string, dimensions: Record<string, string>, topic: string) {
  return { namespace, dimensions, period: 300, treatMissingData: "missing", alarmActions: [topic], okActions: [topic] };
}
