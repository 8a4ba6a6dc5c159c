/** The duplicate status of an import row as a badge with text (never colour alone). */
import { Badge, Spinner } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { DuplicateResult } from "../../core/duplicates";

const colors = { certain: "danger", possible: "warning", none: "success" } as const;

export function DuplicateBadge({ duplicate }: { duplicate: DuplicateResult | undefined }) {
  const { t } = useTranslation("import");
  if (!duplicate) return <Spinner size="extra-tiny" label={t("status.checking")} />;
  if (duplicate.resumeId)
    return (
      <Badge appearance="tint" color="informative" shape="rounded">
        {t("status.resume")}
      </Badge>
    );
  return (
    <Badge appearance="tint" color={colors[duplicate.status]} shape="rounded">
      {t(`status.${duplicate.status}`)}
    </Badge>
  );
}
