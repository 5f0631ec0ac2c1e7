import type { MediaObjects } from './media-objects.ts';

/** Magento catalog gallery rows (`catalog_product_entity_media_gallery[_value]`). */
export interface GalleryValueRow {
  recordId: number;
  valueId: number;
  storeId: number;
  file: string;
  disabled: number;
}

export interface CatalogMedia {
  /** Gallery value rows (every store view) of the given image files (`/s/k/sku.jpg`). */
  galleryRows(files: string[]): Promise<GalleryValueRow[]>;
  galleryRowsById(recordIds: number[]): Promise<GalleryValueRow[]>;
  setDisabled(recordIds: number[], disabled: number): Promise<number>;
}

export interface KycApplication {
  id: string;
  status: string;
}

/** The KYC / identity-verification vendor: applications can be put on hold and released. */
export interface KycVendor {
  getApplication(id: string): Promise<KycApplication>;
  hold(id: string, reason: string): Promise<void>;
  /** Restores a previous status (release of a hold). */
  setStatus(id: string, status: string): Promise<void>;
}

/** Ports of the deepfake playbook's levers (LeverPorts.media). */
export interface MediaLeverPorts {
  objects: MediaObjects;
  /** Where quarantined copies go (the responder's quarantine bucket). */
  quarantineBucket: string;
  catalog?: CatalogMedia;
  /** S3 key prefix of the catalog mirror (`catalog/product`) → Magento gallery file path. */
  catalogPrefix: string;
  kyc?: KycVendor;
}
