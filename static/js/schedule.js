// The week view (templates/scheduling/schedule.html): "Record contact" on a visit opens the
// contact modal (workspace:contact_create with ?visit=); once the contact is saved the visit
// is recorded, so the week is reloaded to show it. Without JavaScript the link opens the
// contact form as a page.
document.addEventListener("contactRecorded", () => {
  if (document.getElementById("week")) window.location.reload();
});
