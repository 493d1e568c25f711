"""What trainees ask and what they are answered: the parser, the answers, the day and week views."""
