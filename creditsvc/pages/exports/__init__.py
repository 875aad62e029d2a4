"""导出: every list a role sees, as xlsx, as filtered on its page."""
