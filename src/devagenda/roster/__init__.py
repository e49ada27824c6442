"""The roster of consultants (IP-ROC): the experts WIPO hires, and their assignments."""
