/**
 * The sender and recipients of the selected e-mail: CRM matches with their switch, others with the
 * import offer. While the same e-mail is re-read (after an import) the rows stay in place.
 */
import { makeStyles, Spinner, Text } from "@fluentui/react-components";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { MailPerson } from "../../core/model";
import type { PersonInfo } from "./contact-data";
import type { MailPersonMatch } from "./match-people";
import { PersonRow } from "./PersonRow";
import { UnknownPersonRow } from "./UnknownPersonRow";
import type { LoadStatus } from "./use-contact-replication";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0 },
});

export interface EmailPeopleListProps {
  status: LoadStatus;
  matches: readonly MailPersonMatch[];
  persons: Readonly<Record<string, PersonInfo>>;
  replicated: Readonly<Record<string, boolean>>;
  busy: Readonly<Record<string, boolean>>;
  onTurnOn: (id: string) => void;
  onRequestOff: (id: string) => void;
  onImport: (mail: MailPerson) => void;
}

export function EmailPeopleList(props: EmailPeopleListProps) {
  const { status, matches, persons, replicated, busy, onTurnOn, onRequestOff, onImport } = props;
  const { t } = useTranslation("contact");
  const styles = useStyles();
  return (
    <section aria-labelledby="contact-email-heading" aria-busy={status === "loading"}>
      <h3 id="contact-email-heading">{t("email.heading")}</h3>
      {status === "loading" && <Spinner size="tiny" label={t("email.loading")} />}
      {status === "ready" && matches.length === 0 && <Text>{t("email.none")}</Text>}
      {matches.length > 0 && (
        <ul className={styles.list} aria-label={t("email.listLabel")}>
          {matches.map((match) => (
            <Fragment key={match.key}>
              {match.personIds.length === 0 ? (
                <UnknownPersonRow
                  mail={match.mail}
                  roleLabel={t(`role.${match.mail.role}`)}
                  onImport={onImport}
                />
              ) : (
                match.personIds.map((id) => {
                  const info = persons[id];
                  return info ? (
                    <PersonRow
                      key={id}
                      info={info}
                      roleLabel={t(`role.${match.mail.role}`)}
                      replicated={replicated[id]}
                      busy={busy[id] === true}
                      onTurnOn={onTurnOn}
                      onRequestOff={onRequestOff}
                    />
                  ) : null;
                })
              )}
            </Fragment>
          ))}
        </ul>
      )}
    </section>
  );
}
