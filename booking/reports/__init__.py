"""The pilot's reports: anonymous figures, small counts hidden, charts as SVG."""
