"""Paper for members without internet: sign-in sheets and personal statements as printable PDFs."""
