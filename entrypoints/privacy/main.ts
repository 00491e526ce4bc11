// The policy is plain HTML, in English as Meta's and the stores' policies are; only the look comes from here.
import "@/components/pages.css";
