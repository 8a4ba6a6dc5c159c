// Placeholder: replaced by the export feature.
export function ExportView() {
  return null;
}
