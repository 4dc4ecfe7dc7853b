"""互动 (第十条, 第十三条): the mayor's mailbox, surveys and consultations, online interviews,
the knowledge base and the answer bot. One app, one sub-package per part (mailbox, surveys,
interviews, knowledge) with its own services, views, urls and admin hooks; the models of all
parts live in interaction/models/<part>.py."""
