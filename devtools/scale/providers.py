"""The synthetic programs (created like any other) and the provider directory."""

from __future__ import annotations

from clients.models import Program
from devtools.scale.copy import copy_batch
from devtools.scale.loader import Loader, rng_for
from devtools.scale.vocabulary import CITIES, PROGRAMS, PROVIDER_KINDS, PROVIDER_WORDS, STREETS
from referrals.models import Provider, ProviderService


def load_programs_and_providers(loader: Loader) -> None:
    for spec in PROGRAMS:
        program, _ = Program.objects.get_or_create(code=spec["code"], defaults=spec)
        loader.programs.append(program)
    rng = rng_for(loader.seed, "providers")
    days = loader.days
    columns = [
        "id",
        "name",
        "address",
        "phone",
        "languages",
        "accepts_medicaid",
        "waitlist_weeks",
        "waitlist_checked_on",
        "eligibility_notes",
        "is_active",
    ]
    services: list[tuple[int, int, str, str]] = []
    with copy_batch() as batch:
        providers = batch.table(Provider, columns)
        for p in range(loader.size.providers):
            pk = loader.take(Provider)
            kinds = rng.sample(PROVIDER_KINDS, rng.choice((1, 1, 2, 3)))
            name = f"{rng.choice(PROVIDER_WORDS)} {kinds[0][1]} {p + 1:04d} (synthetic)"
            city, _ = rng.choice(CITIES)
            providers.row(
                pk,
                name,
                f"{rng.randint(100, 9999)} {rng.choice(STREETS)}, {city}, ID",
                f"208-555-{rng.randint(0, 9999):04d}",
                ["English", "Spanish"] if rng.random() < 0.4 else ["English"],
                rng.random() < 0.7,
                rng.choice((None, 0, 1, 2, 4, 6)),
                days.date(days.today - rng.randint(0, 60)),
                "",
                rng.random() < 0.97,
            )
            service_ids = []
            for kind, _, service_name in kinds:
                service_id = loader.take(ProviderService)
                service_ids.append(service_id)
                services.append((service_id, pk, service_name, kind))
            loader.providers.append((pk, service_ids))
    with copy_batch() as batch:
        rows = batch.table(ProviderService, ["id", "provider_id", "name", "service_type"])
        for service in services:
            rows.row(*service)
    loader.report.counts["providers"] = len(loader.providers)
