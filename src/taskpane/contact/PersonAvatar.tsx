/**
 * A contact person's avatar: the CRM photo (as an object URL, revoked on unmount) when the person
 * has one, otherwise Fluent's initials.
 */
import { Avatar } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useServices } from "../services";

export interface PersonAvatarProps {
  crmId: string | null;
  hasPhoto: boolean;
  name: string;
}

export function PersonAvatar({ crmId, hasPhoto, name }: PersonAvatarProps) {
  const { crm } = useServices();
  const [src, setSrc] = useState<string | null>(null);

  useEffect(() => {
    if (!crmId || !hasPhoto || typeof URL.createObjectURL !== "function") return undefined;
    let url: string | null = null;
    let active = true;
    crm
      .getPhoto(crmId)
      .then((photo) => {
        if (!active || !photo) return;
        url = URL.createObjectURL(new Blob([photo.data as BlobPart], { type: photo.contentType }));
        setSrc(url);
      })
      .catch(() => {
        if (active) setSrc(null); // no photo is not an error worth showing: the initials stand in
      });
    return () => {
      active = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [crm, crmId, hasPhoto]);

  return <Avatar name={name} size={40} image={src ? { src, alt: "" } : undefined} aria-hidden />;
}
