/**
 * The bench's reference page: the least an add-in pane built with React and Fluent UI v9 shows
 * (FluentProvider, a TabList of five tabs, a Text and a Button in the tab panel), started the way
 * the pane starts (after Office.onReady). Built by bench/pane.bench.ts with the pane's own webpack
 * config and HTML template (same minifier, same office.js), so the ratios measure our code only.
 */
import { Button, FluentProvider, Tab, TabList, Text, webLightTheme } from "@fluentui/react-components";
import { useState } from "react";
import { createRoot } from "react-dom/client";

const tabs = ["Export", "Import", "Contact replication", "Sync log", "Settings"];

function BarePage() {
  const [tab, setTab] = useState(tabs[2] ?? "");
  return (
    <FluentProvider theme={webLightTheme} style={{ minHeight: "100vh" }}>
      <header>
        <h1 style={{ margin: 0 }}>
          <Text size={400} weight="semibold">
            CRM Contact Replication
          </Text>
        </h1>
        <TabList selectedValue={tab} onTabSelect={(_, data) => setTab(String(data.value))} aria-label="Views">
          {tabs.map((name) => (
            <Tab key={name} value={name}>
              {name}
            </Tab>
          ))}
        </TabList>
      </header>
      <main>
        <div role="tabpanel" aria-label={tab}>
          <h2 style={{ margin: 0 }}>
            <Text>{tab}</Text>
          </h2>
          <Button appearance="primary">Search</Button>
        </div>
      </main>
    </FluentProvider>
  );
}

async function start(): Promise<void> {
  if (typeof window.Office !== "undefined") await Office.onReady();
  const container = document.getElementById("root");
  if (container) createRoot(container).render(<BarePage />);
}

void start();
