/**
 * One CRM contact person with its replication state and switch: avatar, name, business partner,
 * job title, e-mail, phones; the state icon (replicated / not replicated) and a switch whose
 * accessible name names the person. Turning it off only asks (the parent confirms first).
 */
import {
  Caption1,
  makeStyles,
  Spinner,
  Switch,
  Text,
  tokens,
  useRestoreFocusTarget,
} from "@fluentui/react-components";
import { ArrowSyncCheckmarkRegular, ArrowSyncOffRegular } from "@fluentui/react-icons";
import { useTranslation } from "react-i18next";
import { personDisplayName, type PersonInfo } from "./contact-data";
import { PersonRowLayout } from "./PersonRowLayout";

const useStyles = makeStyles({
  state: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, gridColumn: "2" },
  replicated: { color: tokens.colorPaletteGreenForeground1 },
  notReplicated: { color: tokens.colorNeutralForeground3 },
});

export interface PersonRowProps {
  info: PersonInfo;
  /** `undefined` while the state is being read. */
  replicated: boolean | undefined;
  busy: boolean;
  /** e.g. "From" for the sender of the e-mail. */
  roleLabel?: string;
  onTurnOn: (id: string) => void;
  onRequestOff: (id: string) => void;
}

export function PersonRow({ info, replicated, busy, roleLabel, onTurnOn, onRequestOff }: PersonRowProps) {
  const { t } = useTranslation("contact");
  const styles = useStyles();
  // Focus returns to the switch when the confirmation dialog closes.
  const restoreFocusTarget = useRestoreFocusTarget();
  const { person, partner } = info;
  const name = personDisplayName(info);
  const stateText =
    replicated === undefined
      ? t("state.checking")
      : replicated
        ? t("state.replicated")
        : t("state.notReplicated");

  return (
    <PersonRowLayout
      name={name}
      crmId={person.id}
      hasPhoto={person.hasPhoto}
      action={
        <div className={styles.state}>
          {replicated ? (
            <ArrowSyncCheckmarkRegular className={styles.replicated} aria-hidden />
          ) : (
            <ArrowSyncOffRegular className={styles.notReplicated} aria-hidden />
          )}
          <Text>{stateText}</Text>
          <Switch
            {...restoreFocusTarget}
            checked={replicated === true}
            disabled={busy || replicated === undefined}
            aria-label={t("switch.label", { name })}
            onChange={(_, data) => (data.checked ? onTurnOn(person.id) : onRequestOff(person.id))}
          />
          {busy && <Spinner size="tiny" aria-label={t("busy", { name })} />}
        </div>
      }
    >
      {roleLabel && <Caption1>{roleLabel}</Caption1>}
      {partner && <Text>{partner.name}</Text>}
      {person.jobTitle && <Caption1>{person.jobTitle}</Caption1>}
      {person.email && <Caption1>{person.email}</Caption1>}
      {person.phone && <Caption1>{t("fields.phoneValue", { value: person.phone })}</Caption1>}
      {person.mobile && <Caption1>{t("fields.mobileValue", { value: person.mobile })}</Caption1>}
    </PersonRowLayout>
  );
}
