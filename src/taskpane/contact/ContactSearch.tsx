/**
 * Search for any other CRM contact person (Enter or the Search button), each result with the
 * same row and switch as the people of the e-mail.
 */
import { Button, Field, makeStyles, SearchBox, Spinner, Text, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { PersonInfo } from "./contact-data";
import { PersonRow } from "./PersonRow";
import type { SearchState } from "./use-contact-replication";

const useStyles = makeStyles({
  // Wraps the button under the box when the pane is too narrow for both (320 px).
  form: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalS },
  field: { flex: "1 1 10rem", minWidth: 0 },
  box: { width: "100%", minWidth: 0, maxWidth: "100%" },
  list: { listStyleType: "none", margin: 0, padding: 0 },
});

export interface ContactSearchProps {
  search: SearchState;
  persons: Readonly<Record<string, PersonInfo>>;
  replicated: Readonly<Record<string, boolean>>;
  busy: Readonly<Record<string, boolean>>;
  onSearch: (text: string) => void;
  onTurnOn: (id: string) => void;
  onRequestOff: (id: string) => void;
}

export function ContactSearch({
  search,
  persons,
  replicated,
  busy,
  onSearch,
  onTurnOn,
  onRequestOff,
}: ContactSearchProps) {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  const [text, setText] = useState(search.text);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text);
  };

  return (
    <section aria-labelledby="contact-search-heading">
      <h3 id="contact-search-heading">{t("search.heading")}</h3>
      <form className={styles.form} role="search" onSubmit={submit}>
        <Field className={styles.field} label={t("search.label")}>
          <SearchBox
            className={styles.box}
            value={text}
            placeholder={t("search.placeholder")}
            onChange={(_, data) => {
              setText(data.value);
              if (data.value === "") onSearch("");
            }}
          />
        </Field>
        <Button type="submit" disabled={text.trim() === ""}>
          {t("search.submit")}
        </Button>
      </form>
      {search.status === "searching" && <Spinner size="tiny" label={t("search.searching")} />}
      {search.status === "ready" && search.ids.length === 0 && <Text>{t("search.noResults")}</Text>}
      {search.ids.length > 0 && (
        <ul className={styles.list} aria-label={t("search.results")}>
          {search.ids.map((id) => {
            const info = persons[id];
            return info ? (
              <PersonRow
                key={id}
                info={info}
                replicated={replicated[id]}
                busy={busy[id] === true}
                onTurnOn={onTurnOn}
                onRequestOff={onRequestOff}
              />
            ) : null;
          })}
        </ul>
      )}
    </section>
  );
}
