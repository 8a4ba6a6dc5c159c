/**
 * Step 2 of the export wizard: the assignment table. Available persons left, selected right,
 * move selected / move all both ways; previously exported persons start on the right, badged.
 */
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Text,
  tokens,
  Tooltip,
} from "@fluentui/react-components";
import {
  ChevronDoubleLeftRegular,
  ChevronDoubleRightRegular,
  ChevronLeftRegular,
  ChevronRightRegular,
} from "@fluentui/react-icons";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { BusinessPartner, ContactPerson } from "../../core/model";
import { PersonListbox, type PersonRow } from "./PersonListbox";
import { SEARCH_CAP } from "./export-search";
import { useListSelection } from "./use-list-selection";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  table: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "stretch" },
  buttons: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, alignSelf: "center" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

export interface AssignmentStepProps {
  left: readonly ContactPerson[];
  right: readonly ContactPerson[];
  total: number;
  capped: boolean;
  noPartner: boolean;
  /** Inactive persons the search found and left out. */
  inactive: number;
  partners: ReadonlyMap<string, BusinessPartner>;
  exported: ReadonlySet<string>;
  canSave: boolean;
  busy: boolean;
  onMoveRight: (ids: Iterable<string>) => void;
  onMoveLeft: (ids: Iterable<string>) => void;
  onMoveAllRight: () => void;
  onMoveAllLeft: () => void;
  onBack: () => void;
  onSave: () => void;
}

function toRows(
  persons: readonly ContactPerson[],
  partners: ReadonlyMap<string, BusinessPartner>,
  exported: ReadonlySet<string>,
): PersonRow[] {
  return persons.map((p) => ({
    id: p.id,
    primary: [p.lastName, p.firstName].filter(Boolean).join(", "),
    secondary: [partners.get(p.businessPartnerId)?.name, p.email].filter(Boolean).join(" · "),
    exported: exported.has(p.id),
  }));
}

export function AssignmentStep(props: AssignmentStepProps) {
  const { t, i18n } = useTranslation("export");
  const styles = useStyles();
  const { left, right, partners, exported } = props;
  const leftRows = useMemo(() => toRows(left, partners, exported), [left, partners, exported]);
  const rightRows = useMemo(() => toRows(right, partners, exported), [right, partners, exported]);
  const leftIds = useMemo(() => leftRows.map((r) => r.id), [leftRows]);
  const rightIds = useMemo(() => rightRows.map((r) => r.id), [rightRows]);
  const leftSel = useListSelection(leftIds);
  const rightSel = useListSelection(rightIds);

  const moveRight = () => props.onMoveRight(leftSel.selected);
  const moveLeft = () => props.onMoveLeft(rightSel.selected);

  return (
    <div className={styles.root}>
      <Text role="status">{t("assign.found", { count: props.total })}</Text>
      {props.capped ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            {t("assign.capped", {
              cap: SEARCH_CAP.toLocaleString(i18n.language) /* the UI's language, not the browser's */,
            })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {props.inactive > 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>{t("assign.inactive", { count: props.inactive })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {props.noPartner ? (
        <MessageBar intent="info">
          <MessageBarBody>{t("assign.noPartner")}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.table}>
        <PersonListbox
          id="export-available"
          label={t("assign.available", { count: left.length })}
          rows={leftRows}
          selection={leftSel}
          onMove={moveRight}
        />
        <div className={styles.buttons}>
          <Tooltip content={t("assign.moveRight")} relationship="label">
            <Button
              aria-label={t("assign.moveRight")}
              icon={<ChevronRightRegular />}
              onClick={moveRight}
              disabled={leftSel.selected.size === 0}
            />
          </Tooltip>
          <Tooltip content={t("assign.moveAllRight")} relationship="label">
            <Button
              aria-label={t("assign.moveAllRight")}
              icon={<ChevronDoubleRightRegular />}
              onClick={props.onMoveAllRight}
              disabled={left.length === 0}
            />
          </Tooltip>
          <Tooltip content={t("assign.moveLeft")} relationship="label">
            <Button
              aria-label={t("assign.moveLeft")}
              icon={<ChevronLeftRegular />}
              onClick={moveLeft}
              disabled={rightSel.selected.size === 0}
            />
          </Tooltip>
          <Tooltip content={t("assign.moveAllLeft")} relationship="label">
            <Button
              aria-label={t("assign.moveAllLeft")}
              icon={<ChevronDoubleLeftRegular />}
              onClick={props.onMoveAllLeft}
              disabled={right.length === 0}
            />
          </Tooltip>
        </div>
        <PersonListbox
          id="export-selected"
          label={t("assign.selected", { count: right.length })}
          rows={rightRows}
          selection={rightSel}
          onMove={moveLeft}
        />
      </div>
      <Text size={200}>{t("assign.keyboardHint")}</Text>
      <div className={styles.actions}>
        <Button onClick={props.onBack}>{t("back")}</Button>
        <Button appearance="primary" onClick={props.onSave} disabled={!props.canSave || props.busy}>
          {t("assign.save")}
        </Button>
      </div>
    </div>
  );
}
