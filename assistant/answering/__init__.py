"""Answering: follow-up resolution, evidence sentences, abstention, catalog answers and the extractive composer."""
