/**
 * The shared frame of a person row in the contact pane: a list item named after the person with
 * the avatar, a details column that starts with the name, and the row's action area.
 *
 * @example
 * <PersonRowLayout name="Anna Schmidt" crmId="p1" hasPhoto={false} action={<Button>…</Button>}>
 *   <Caption1>anna.schmidt@mueller-bau.de</Caption1>
 * </PersonRowLayout>
 */
import type { ReactNode } from "react";
import { makeStyles, Text, tokens } from "@fluentui/react-components";
import { PersonAvatar } from "./PersonAvatar";

const useStyles = makeStyles({
  row: {
    display: "grid",
    gridTemplateColumns: "auto 1fr",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  details: { display: "flex", flexDirection: "column", minWidth: 0, overflowWrap: "anywhere" },
});

export interface PersonRowLayoutProps {
  /** Shown in bold and used as the list item's accessible name. */
  name: string;
  /** The CRM contact person's id, `null` for a person unknown to the CRM. */
  crmId: string | null;
  hasPhoto: boolean;
  /** Further detail lines under the name. */
  children?: ReactNode;
  /** The state and switch, or the button, placed in the second column below the details. */
  action: ReactNode;
}

export function PersonRowLayout({ name, crmId, hasPhoto, children, action }: PersonRowLayoutProps) {
  const styles = useStyles();
  return (
    <li className={styles.row} aria-label={name}>
      <PersonAvatar crmId={crmId} hasPhoto={hasPhoto} name={name} />
      <div className={styles.details}>
        <Text weight="semibold">{name}</Text>
        {children}
      </div>
      {action}
    </li>
  );
}
