/** The tab list that switches between the pane's views. */
import { Tab, TabList } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { viewIds, type ViewId } from "./views";

export const tabId = (view: ViewId): string => `tab-${view}`;
export const panelId = "view-panel";

export function Navigation({ value, onChange }: { value: ViewId; onChange: (view: ViewId) => void }) {
  const { t } = useTranslation("common");
  return (
    <nav aria-label={t("nav.label")}>
      <TabList
        selectedValue={value}
        onTabSelect={(_event, data) => onChange(data.value as ViewId)}
        size="small"
        style={{ flexWrap: "wrap" }}
      >
        {viewIds.map((view) => (
          <Tab key={view} value={view} id={tabId(view)} aria-controls={panelId}>
            {t(`nav.${view}`)}
          </Tab>
        ))}
      </TabList>
    </nav>
  );
}
