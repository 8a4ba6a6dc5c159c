/**
 * The CRM contact persons that make an import row a (possible or certain) duplicate: name,
 * business partner, e-mail, phones and the reason, each as plain text. Each match offers
 * "Link to this contact person" (writes its CRM id onto the Outlook contact).
 */
import {
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  makeStyles,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DuplicateResult } from "../../core/duplicates";
import type { ContactPerson } from "../../core/model";
import { useServices } from "../services";

const useStyles = makeStyles({
  // Portalled outside the pane's <main>: long names and addresses must wrap here too.
  surface: { overflowWrap: "anywhere" },
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
  },
  item: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    overflowWrap: "anywhere",
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  actions: { marginTop: tokens.spacingVerticalXS },
});

export interface MatchesDialogProps {
  open: boolean;
  rowName: string;
  duplicate: DuplicateResult;
  /** The matching persons as loaded by the duplicate check (missing ones are listed by id). */
  personOf: (id: string) => ContactPerson | undefined;
  busy: boolean;
  onLink: (crmId: string) => void;
  onClose: () => void;
}

export function MatchesDialog({
  open,
  rowName,
  duplicate,
  personOf,
  busy,
  onLink,
  onClose,
}: MatchesDialogProps) {
  const { t } = useTranslation("import");
  const { crm } = useServices();
  const styles = useStyles();
  const [partnerNames, setPartnerNames] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!open) return undefined;
    let active = true;
    const ids = [
      ...new Set(duplicate.matches.map((m) => personOf(m.id)?.businessPartnerId).filter(Boolean)),
    ] as string[];
    void Promise.all(
      ids.map((id) =>
        crm.getBusinessPartner(id).then(
          (p) => [id, p.name] as const,
          () => [id, id] as const, // the partner id stands in for a name that could not be read
        ),
      ),
    ).then((pairs) => {
      if (active) setPartnerNames(Object.fromEntries(pairs));
    });
    return () => {
      active = false;
    };
  }, [open, duplicate, personOf, crm]);

  return (
    <Dialog open={open} onOpenChange={(_, data) => (data.open ? undefined : onClose())}>
      <DialogSurface className={styles.surface}>
        <DialogBody>
          <DialogTitle>{t("matches.title", { name: rowName })}</DialogTitle>
          <DialogContent>
            <ul className={styles.list} aria-label={t("matches.listLabel")}>
              {duplicate.matches.map((match) => {
                const person = personOf(match.id);
                const name = person
                  ? [person.firstName, person.lastName].filter(Boolean).join(" ")
                  : match.id;
                return (
                  <li key={match.id} className={styles.item} aria-label={name}>
                    <Text weight="semibold">{name}</Text>
                    <Body1>{t(`reason.${match.reason}`)}</Body1>
                    {person && (
                      <>
                        <Caption1>
                          {t("matches.partner", {
                            value: partnerNames[person.businessPartnerId] ?? person.businessPartnerId,
                          })}
                        </Caption1>
                        {person.email && (
                          <Caption1>{t("fields.emailValue", { value: person.email })}</Caption1>
                        )}
                        {person.phone && (
                          <Caption1>{t("fields.phoneValue", { value: person.phone })}</Caption1>
                        )}
                        {person.mobile && (
                          <Caption1>{t("fields.mobileValue", { value: person.mobile })}</Caption1>
                        )}
                      </>
                    )}
                    <div className={styles.actions}>
                      <Button size="small" disabled={busy} onClick={() => onLink(match.id)}>
                        {t("matches.link", { name })}
                      </Button>
                    </div>
                  </li>
                );
              })}
            </ul>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose}>
              {t("matches.close")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
