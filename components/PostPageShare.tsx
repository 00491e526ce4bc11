import { ComposerPanel, type ComposerPanelProps, trustedOnly } from "@/components/ComposerPanel";

export interface PostPageShareProps {
  /** The choice, as in the composer (without its switch): targets, Facebook text, first comment, when. */
  panel: Omit<ComposerPanelProps, "on" | "onToggle">;
  open: boolean;
  onOpen: () => void;
  onCancel: () => void;
  onShare: () => void;
}

/**
 * "Share to Facebook" beside one of the user's own posts, opening the composer's choice. Only a real
 * user's input acts, as in the panel. Hook-free, strings passed in, as ComposerPanel.
 */
export function PostPageShare({ panel, open, onOpen, onCancel, onShare }: PostPageShareProps) {
  const { t } = panel;
  const accept = panel.acceptEvent ?? trustedOnly;
  if (!open) {
    return (
      <button type="button" class="pill" onClick={(event) => accept(event) && onOpen()}>
        {t("shareToFacebook")}
      </button>
    );
  }
  return (
    <div class="post-share">
      <ComposerPanel {...panel} on />
      <div class="row actions">
        <button
          type="button"
          class="pill"
          disabled={panel.targets.length === 0}
          onClick={(event) => accept(event) && onShare()}
        >
          {t("share")}
        </button>
        <button type="button" class="link" onClick={(event) => accept(event) && onCancel()}>
          {t("cancel")}
        </button>
      </div>
    </div>
  );
}
